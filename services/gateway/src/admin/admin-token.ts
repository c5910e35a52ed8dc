import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@marquee/common';
import type { AccessTokenClaims } from '@marquee/contracts';

/** An admin token as identity issues it: always bounded in time and named, so it can be revoked. */
export type AdminClaims = AccessTokenClaims & { exp: number; jti: string };

const INVALID = 'The admin token is invalid or has expired; sign in again.';

/**
 * The claims of a valid admin token; a DomainError (401/403) for anything else. HS256 only, so
 * alg=none and other algorithms never pass; a token without exp would be valid forever and one
 * without jti could not be signed out, so identity issues neither and both are refused.
 */
export async function verifyAdminToken(jwt: JwtService, token: string): Promise<AdminClaims> {
  let claims: Partial<AdminClaims>;
  try {
    claims = await jwt.verifyAsync<AdminClaims>(token, { algorithms: ['HS256'] });
  } catch {
    throw new DomainError('ADMIN.UNAUTHORIZED', 401, INVALID);
  }
  // A genuine token of another role is a 403 whatever it carries: developer tokens have no jti.
  if (claims.role !== 'admin') throw new DomainError('ADMIN.FORBIDDEN', 403, 'This token does not belong to an admin.');
  if (typeof claims.exp !== 'number') throw new DomainError('ADMIN.UNAUTHORIZED', 401, `${INVALID} (it has no exp claim)`);
  if (typeof claims.jti !== 'string' || claims.jti === '') throw new DomainError('ADMIN.UNAUTHORIZED', 401, `${INVALID} (it has no jti claim)`);
  return claims as AdminClaims;
}
