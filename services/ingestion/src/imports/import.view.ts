import type { ImportDetailView, ImportView } from '@marquee/contracts';
import type { ImportRecord } from './import.repository';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toImportView(row: ImportRecord): ImportView {
  const bytesTotal = Number(row.bytes_total);
  const bytesDone = Number(row.bytes_done);
  const finished = row.status === 'completed';
  const percent = finished ? 100 : bytesTotal > 0 ? Math.min(99, Math.floor((bytesDone / bytesTotal) * 100)) : 0;
  // Until the last row is read only the bytes say how far it got; rows are extrapolated from them.
  const rowsTotal = finished ? row.rows_done : bytesDone > 0 ? Math.max(row.rows_done, Math.round((row.rows_done * bytesTotal) / bytesDone)) : null;
  return {
    id: row.id,
    file_name: row.file_name,
    mode: row.mode,
    status: row.status,
    created_by: row.created_by,
    created_at: iso(row.created_at)!,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    attempts: row.attempts,
    failure: row.failure,
    progress: { bytes_done: bytesDone, bytes_total: bytesTotal, rows_done: row.rows_done, rows_total: rowsTotal, rows_total_estimated: !finished, percent },
    counts: {
      rows: row.rows_done, inserted: row.inserted, updated: row.updated, unchanged: row.unchanged,
      duplicates: row.duplicates, rejected: row.rejected, deleted: row.deleted,
    },
    unknown_columns: row.unknown_columns,
  };
}

export function toImportDetailView(row: ImportRecord): ImportDetailView {
  return { ...toImportView(row), errors: row.errors ?? [] };
}
