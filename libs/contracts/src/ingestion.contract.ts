/** The ingestion service: the movie catalogue and its CSV imports. */

/** See queues.ts before renaming. */
export const CSV_IMPORT_QUEUE = 'csv-import';
export const CSV_IMPORT_JOB = 'import-file';

export const INGESTION_EVENTS = {
  /** Emitted once an import has committed; readers drop any cached movie rows. */
  moviesImported: 'ingestion.movies.imported',
} as const;

export type ImportMode = 'merge' | 'replace';
export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface CsvImportJob {
  importId: string;
}

export interface MoviesImportedEvent {
  importId: string;
  mode: ImportMode;
  inserted: number;
  updated: number;
  deleted: number;
}

export const INGESTION_PATTERNS = {
  /** Checks an uploaded file (CSV text, required columns), records the import and queues it. */
  createImport: 'ingestion.import.create',
  listImports: 'ingestion.import.list',
  getImport: 'ingestion.import.get',
  /** One page of an import's rejected rows, in line order, for the report download. */
  importReport: 'ingestion.import.report',
} as const;

export interface CreateImportRequest {
  filePath: string;
  fileName: string;
  mode: ImportMode;
  createdBy: string;
}

export interface ImportRowErrorView {
  line: number;
  reason: string;
}

export interface ImportView {
  id: string;
  file_name: string;
  mode: ImportMode;
  status: ImportStatus;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  attempts: number;
  failure: string | null;
  progress: {
    bytes_done: number;
    bytes_total: number;
    rows_done: number;
    /** Exact once the import has finished; while it runs, extrapolated from the bytes read. */
    rows_total: number | null;
    rows_total_estimated: boolean;
    percent: number;
  };
  counts: { rows: number; inserted: number; updated: number; unchanged: number; duplicates: number; rejected: number; deleted: number };
  unknown_columns: string[];
}

/** An import with its first 1,000 rejected rows. */
export interface ImportDetailView extends ImportView {
  errors: ImportRowErrorView[];
}

export const IMPORT_SORTS = [
  'created_at', '-created_at', 'file_name', '-file_name', 'mode', '-mode', 'status', '-status',
  'rows', '-rows', 'rejected', '-rejected', 'created_by', '-created_by',
] as const;
export type ImportSort = (typeof IMPORT_SORTS)[number];

export interface ListImportsRequest {
  q?: string;
  status?: ImportStatus;
  mode?: ImportMode;
  sort: ImportSort;
  page: number;
  limit: number;
}

export interface ImportIdRequest {
  id: string;
}

export interface ImportReportRequest {
  id: string;
  /** Rows after this line (0 for the first page). */
  afterLine: number;
  limit: number;
}
