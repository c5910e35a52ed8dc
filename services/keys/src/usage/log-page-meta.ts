import type { LogPage } from '@marquee/contracts';

/** Log totals are exact up to here; beyond, the page says `total_estimated` and gives the cap: a count over millions of logs is slow. */
export const LOG_COUNT_CAP = 10_000;

/** Page meta for a total counted with `limit LOG_COUNT_CAP + 1`. */
export function logPageMeta(page: number, limit: number, counted: number): LogPage['meta'] {
  const shown = Math.min(counted, LOG_COUNT_CAP);
  return { page, limit, total: shown, total_pages: Math.ceil(shown / limit), total_estimated: counted > LOG_COUNT_CAP };
}
