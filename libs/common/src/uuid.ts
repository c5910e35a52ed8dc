import { badRequest } from './errors/domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any UUID version, in either case: row ids, key ids, request ids. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A path or query id that must be a UUID, returned as it is; 400 naming what it should be otherwise. */
export function requireUuid(id: string, what: string): string {
  if (!UUID.test(id)) throw badRequest('INVALID_PARAMETER', `id must be ${what} (a UUID); "${id.slice(0, 40)}" is not`);
  return id;
}

/** A UUID of version 7, the kind whose leading 48 bits are the instant it was made (request ids). */
export function isUuidV7(value: unknown): value is string {
  return isUuid(value) && value[14] === '7';
}

/**
 * The instant a UUIDv7 was made, in epoch milliseconds: its first 48 bits. A request id is made
 * as the request arrives, so this is the call's time, and ordering calls by id orders them by it.
 */
export function uuidv7Ms(id: string): number {
  return parseInt(id.slice(0, 8), 16) * 0x10000 + parseInt(id.slice(9, 13), 16);
}

/**
 * The lowest UUID of an instant (epoch ms) in PostgreSQL's order, which compares UUIDs byte by
 * byte: every UUIDv7 made at or after `ms` is at or above it, every one made before is below.
 */
export function uuidv7Floor(ms: number): string {
  const hex = Math.min(Math.max(0, Math.floor(ms)), 2 ** 48 - 1).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}
