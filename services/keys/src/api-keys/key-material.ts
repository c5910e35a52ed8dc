import { randomUUID } from 'node:crypto';
export { hashApiKey as hashKey } from '@marquee/quota';

/** A new raw API key: a random UUIDv4 (122 random bits). */
export function newRawKey(): string {
  return randomUUID();
}

/** Enough of the key for a person to tell their keys apart; far too little to guess the rest. */
export function displayPrefix(rawKey: string): string {
  return rawKey.slice(0, 8);
}
