/** The calendar month (UTC) that `nowMs` falls in, and when the next one starts. */
export interface QuotaPeriod {
  /** "202611" */
  id: string;
  /** first instant of the month, epoch ms */
  startMs: number;
  /** first instant of the next month, epoch ms: when the monthly quota resets */
  resetMs: number;
}

export function quotaPeriod(nowMs: number): QuotaPeriod {
  const d = new Date(nowMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return {
    id: `${y}${String(m + 1).padStart(2, '0')}`,
    startMs: Date.UTC(y, m, 1),
    resetMs: Date.UTC(y, m + 1, 1),
  };
}

/** The period id of a `date` column value like "2026-11-01". */
export function periodIdOfDate(date: string | Date): string {
  const iso = typeof date === 'string' ? date : date.toISOString();
  return iso.slice(0, 4) + iso.slice(5, 7);
}
