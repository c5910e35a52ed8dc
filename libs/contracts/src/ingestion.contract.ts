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
