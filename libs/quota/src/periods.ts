/** The calendar month (UTC) that `nowMs` falls in, and when the next one starts. */
export interface QuotaPeriod {
  /** "202611" */
  id: string;
  /** first instant of the month, epoch ms */
  startMs: number;
  /** first instant of the next month, epoch ms: when the monthly quota resets */
  resetMs: number;
}

/** The month asked for last: every API call asks, and for a whole month the answer is the same. */
let current: Readonly<QuotaPeriod> | undefined;

export function quotaPeriod(nowMs: number): Readonly<QuotaPeriod> {
  if (current && nowMs >= current.startMs && nowMs < current.resetMs) return current;
  const d = new Date(nowMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  current = Object.freeze({
    id: `${y}${String(m + 1).padStart(2, '0')}`,
    startMs: Date.UTC(y, m, 1),
    resetMs: Date.UTC(y, m + 1, 1),
  });
  return current;
}

/** The period id of a `date` column value like "2026-11-01". */
export function periodIdOfDate(date: string | Date): string {
  const iso = typeof date === 'string' ? date : date.toISOString();
  return iso.slice(0, 4) + iso.slice(5, 7);
}
