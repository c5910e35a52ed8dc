import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@marquee/common';
import { GatewayEnv } from '../config/gateway.env';
import { AdminSessions } from './admin-sessions';
import type { AdminClaims } from './admin-token';
import { CSRF_COOKIE, CSRF_HEADER, csrfMatches } from './csrf';

export const ADMIN_COOKIE = 'marquee_admin';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AdminRequest = FastifyRequest & { admin?: AdminClaims; adminToken?: string };

/**
 * Admin JWT from `Authorization: Bearer` or the admin cookie, valid and not signed out (AdminSessions).
 * A state-changing call authenticated by the cookie (which a browser sends by itself) must also
 * carry the CSRF header; a Bearer header is never sent by a browser on its own, so needs none.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(private readonly sessions: AdminSessions, private readonly env: GatewayEnv) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const token = bearer ?? request.cookies?.[ADMIN_COOKIE];
    if (!token) throw new DomainError('ADMIN.UNAUTHORIZED', 401, 'Sign in as an admin: send the token as a Bearer header or the admin cookie.');
    const claims = await this.sessions.verify(token);
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
