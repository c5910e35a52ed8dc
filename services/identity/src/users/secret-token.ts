import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: verification links, refresh tokens and key tickets. */
export const newSecretToken = () => randomBytes(32).toString('base64url');

/** Tokens are stored only as this hash: a leaked table holds nothing that can be replayed. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
