import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@marquee/common';
import { Csrf } from './csrf';
import { DeveloperRequest, DeveloperSessions } from './developer-sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** /me: a developer's access token as Bearer, or the portal's cookies plus a CSRF token to change anything. */
@Injectable()
export class DeveloperAuthGuard implements CanActivate {
  constructor(private readonly sessions: DeveloperSessions, private readonly csrf: Csrf) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DeveloperRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const developer = await this.sessions.resolve(request, reply);
    if (!developer) {
      throw new DomainError('DEVELOPER.UNAUTHORIZED', 401, 'Sign in: send your access token as a Bearer header (POST /auth/login).');
    }
    if (developer.via === 'cookie' && !SAFE_METHODS.has(request.method)) this.csrf.assertValid(request);
    request.developer = developer.claims;
    return true;
  }
}
