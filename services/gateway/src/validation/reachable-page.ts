import { badRequest } from '@marquee/common';

/**
 * Numbered pages stop `maxRows` deep: an OFFSET walks and throws away every row before the page,
 * so a deeper one costs in proportion to its depth (a log page a million rows down, seconds).
 * `deeper` tells the caller how to reach rows beyond.
 */
export function requireReachablePage(page: number, limit: number, maxRows: number, deeper: string): void {
  if (page * limit > maxRows) {
    throw badRequest('INVALID_PARAMETER', `page ${page} is past the deepest page reachable by number (${maxRows} rows); ${deeper}`);
  }
}
