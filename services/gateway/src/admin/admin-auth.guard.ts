import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@marquee/common';
import type { AccessTokenClaims } from '@marquee/contracts';

export const ADMIN_COOKIE = 'marquee_admin';

/** Admin JWT from `Authorization: Bearer` or the admin cookie; HS256 only, so alg=none never passes. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { admin?: AccessTokenClaims }>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : request.cookies?.[ADMIN_COOKIE];
    if (!token) throw new DomainError('ADMIN.UNAUTHORIZED', 401, 'Sign in as an admin: send the token as a Bearer header or the admin cookie.');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw new DomainError('ADMIN.UNAUTHORIZED', 401, 'The admin token is invalid or has expired; sign in again.');
    }
    if (claims.role !== 'admin') throw new DomainError('ADMIN.FORBIDDEN', 403, 'This token does not belong to an admin.');
    request.admin = claims;
    return true;
  }
}
