import type { OpenAPIObject } from '@nestjs/swagger';

const integer = (description: string) => ({ description, schema: { type: 'integer' } });
/** "unlimited" on the unlimited plan, a count otherwise. */
const count = (description: string) => ({ description, schema: { oneOf: [{ type: 'integer' }, { type: 'string', enum: ['unlimited'] }] } });

const LIMIT_HEADERS = {
  'X-RateLimit-Limit': count('Calls allowed per minute'),
  'X-RateLimit-Remaining': count('Calls left in this minute'),
  'X-RateLimit-Reset': integer('When the minute window restarts (epoch seconds)'),
  'X-Quota-Limit': count('Calls allowed per calendar month (UTC)'),
  'X-Quota-Remaining': count('Calls left this month'),
  'X-Quota-Reset': integer('When the monthly quota restarts (epoch seconds)'),
};

/**
 * The limit headers on every answer of a key-bearing operation with a known key: all but 401 (no
 * key to count against) and 503 (no answer from the counters).
 */
export function documentLimitHeaders(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || !operation || !('responses' in operation)) continue;
      if (!operation.security?.some((s: Record<string, unknown>) => 'api-key' in s)) continue;
      for (const [status, response] of Object.entries(operation.responses as Record<string, { headers?: object }>)) {
        if (['401', '503'].includes(status)) continue;
        response.headers = { ...LIMIT_HEADERS, ...response.headers };
        if (status === '429') response.headers = { ...response.headers, 'Retry-After': integer('Seconds until a call may succeed') };
      }
    }
  }
}
