/**
 * Redis layout of the hot path. The record is a hash per key hash; the counters are plain
 * integers per key and period. Every process that touches these goes through this file.
 */
export const REDIS_PREFIX = 'mq:';
export const recordKey = (keyHash: string) => `${REDIS_PREFIX}key:${keyHash}`;
export const quotaCounterKey = (keyId: string, period: string) => `${REDIS_PREFIX}quota:${keyId}:${period}`;

/** How long a loaded key record lives in Redis before the next call reloads it from PostgreSQL. */
export const RECORD_TTL_S = 3600;
/** How long an unknown key is remembered, so a flood of random keys never reaches PostgreSQL. */
export const NEGATIVE_TTL_S = 60;
