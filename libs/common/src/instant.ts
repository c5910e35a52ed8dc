/**
 * Epoch milliseconds of an ISO 8601 date or date-time as the API accepts them. One without an
 * offset is UTC, as a date alone is: Date.parse would read a date-time without one as the
 * process's local time, and PostgreSQL as its session's.
 */
export function instantMs(iso: string): number {
  return Date.parse(/T[\d:.]+$/.test(iso) ? `${iso}Z` : iso);
}
