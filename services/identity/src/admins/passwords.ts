import { randomBytes } from 'node:crypto';
import * as bcrypt from 'bcrypt';

export const BCRYPT_ROUNDS = 12;

export const hashPassword = (password: string) => bcrypt.hash(password, BCRYPT_ROUNDS);
export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);

/** Compared against when the account does not exist, so both paths cost one bcrypt. */
export const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', BCRYPT_ROUNDS);

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
