import { createHash } from 'node:crypto';

/** How a raw key is looked up everywhere: SHA-256 of its lower-case form (UUIDs are case-free). */
export function hashApiKey(rawKey: string): string {
  return createHash('sha256').update(rawKey.toLowerCase()).digest('hex');
}
