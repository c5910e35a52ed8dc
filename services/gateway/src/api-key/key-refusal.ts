import { DomainError } from '@marquee/common';
import type { KeyRefusal, Limits } from '@marquee/quota';

const REFUSALS: Record<KeyRefusal | 'MISSING' | 'MALFORMED', { status: number; code: string; detail: string }> = {
  MISSING: { status: 401, code: 'API_KEY.MISSING', detail: 'Send your API key in the X-API-KEY header.' },
  MALFORMED: { status: 401, code: 'API_KEY.MALFORMED', detail: 'The X-API-KEY header is not a valid API key (expected a UUID).' },
  UNKNOWN: { status: 401, code: 'API_KEY.UNKNOWN', detail: 'This API key does not exist or has been deleted.' },
  SUSPENDED: { status: 403, code: 'API_KEY.SUSPENDED', detail: 'This API key is suspended.' },
  EXPIRED: { status: 403, code: 'API_KEY.EXPIRED', detail: 'This API key has expired.' },
  QUOTA_EXCEEDED: { status: 429, code: 'API_KEY.QUOTA_EXCEEDED', detail: 'The monthly quota of this key is spent.' },
  RATE_LIMITED: { status: 429, code: 'API_KEY.RATE_LIMITED', detail: 'Too many requests this minute for this key.' },
};

const CHALLENGE = 'ApiKey realm="Marquee API", header="X-API-KEY"';

/** The one place a key refusal becomes an HTTP status and problem body. */
export function keyRefusal(code: keyof typeof REFUSALS, limits?: Limits, nowMs = Date.now()): DomainError {
  const { status, code: problemCode, detail } = REFUSALS[code];
  // HTTP requires a 401 to name the credentials it wants (RFC 9110 §11.6.1).
  const headers: Record<string, string | number> = status === 401 ? { 'www-authenticate': CHALLENGE } : {};
  let message = detail;
  if (code === 'RATE_LIMITED' && limits) {
    headers['retry-after'] = Math.max(1, Math.ceil((limits.rateResetMs - nowMs) / 1000));
    message = `${detail} The limit is ${limits.rate} per minute; retry in ${headers['retry-after']} s.`;
  }
  if (code === 'QUOTA_EXCEEDED' && limits) {
    headers['retry-after'] = Math.max(1, Math.ceil((limits.quotaResetMs - nowMs) / 1000));
    message = `${detail} The plan allows ${limits.quota} calls a month; it resets at ${new Date(limits.quotaResetMs).toISOString()}.`;
  }
  return new DomainError(problemCode, status, message, headers);
}

export function limitHeaders(limits: Limits): Record<string, string | number> {
  return {
    'x-ratelimit-limit': limits.rate ?? 'unlimited',
    'x-ratelimit-remaining': limits.rateRemaining ?? 'unlimited',
    'x-ratelimit-reset': Math.floor(limits.rateResetMs / 1000),
    'x-quota-limit': limits.quota ?? 'unlimited',
    'x-quota-remaining': limits.quotaRemaining ?? 'unlimited',
    'x-quota-reset': Math.floor(limits.quotaResetMs / 1000),
  };
}
