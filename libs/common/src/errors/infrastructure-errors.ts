const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P03', '08006', '08001', '08003']);
const CONNECTION_MESSAGES = /connection (is )?(closed|terminated|refused)|Connection is closed|Stream isn't writeable|ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect|MaxRetriesPerRequestError|Reached the max retries/i;

/** True when `error` means PostgreSQL or Redis is unreachable: the caller answers 503, not 500. */
export function isInfrastructureDown(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: string; message?: string; name?: string };
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  return typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message);
}
