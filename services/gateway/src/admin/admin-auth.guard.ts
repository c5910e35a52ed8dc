import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@marquee/common';
import type { AccessTokenClaims } from '@marquee/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { CSRF_COOKIE, CSRF_HEADER, csrfMatches } from './csrf';

export const ADMIN_COOKIE = 'marquee_admin';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AdminRequest = FastifyRequest & { admin?: AccessTokenClaims; adminToken?: string };

/**
 * Admin JWT from `Authorization: Bearer` or the admin cookie; HS256 only, so alg=none never passes.
 * A state-changing call authenticated by the cookie (which a browser sends by itself) must also
 * carry the CSRF header; a Bearer header is never sent by a browser on its own, so needs none.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService, private readonly env: GatewayEnv) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const token = bearer ?? request.cookies?.[ADMIN_COOKIE];
    if (!token) throw new DomainError('ADMIN.UNAUTHORIZED', 401, 'Sign in as an admin: send the token as a Bearer header or the admin cookie.');
    const claims = await verifyAdminToken(this.jwt, token);
    if (!bearer && !SAFE_METHODS.has(request.method) && !csrfMatches(this.env.JWT_SECRET, token, headerValue(request.headers[CSRF_HEADER]))) {
      throw new DomainError('ADMIN.CSRF', 403, `Send the ${CSRF_HEADER} header (the ${CSRF_COOKIE} cookie's value) with every change made through the admin cookie.`);
    }
    request.admin = claims;
    request.adminToken = token;
    return true;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The claims of a valid admin token; a DomainError (401/403) for anything else. */
export async function verifyAdminToken(jwt: JwtService, token: string): Promise<AccessTokenClaims> {
  let claims: AccessTokenClaims;
  try {
    claims = await jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
  } catch {
    throw new DomainError('ADMIN.UNAUTHORIZED', 401, 'The admin token is invalid or has expired; sign in again.');
  }
  if (claims.role !== 'admin') throw new DomainError('ADMIN.FORBIDDEN', 403, 'This token does not belong to an admin.');
  return claims;
}
