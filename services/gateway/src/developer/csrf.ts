import Tokens from '@fastify/csrf';
import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@marquee/common';
import { GatewayEnv } from '../config/gateway.env';
import { developerCookieOptions } from './developer-sessions';

export const CSRF_COOKIE = 'marquee_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/**
 * Double-submit CSRF protection for the portal (@fastify/csrf): a random secret in an HttpOnly
 * cookie, and a token derived from it in every form (`_csrf`) and fetch (`X-CSRF-Token`). A
 * cross-site page can make the browser send the cookie but cannot read a token to send with it.
 */
@Injectable()
export class Csrf {
  private readonly tokens = new Tokens({});

  constructor(private readonly env: GatewayEnv) {}

  /** A token for the page being rendered (creating the secret cookie on first use). */
  token(request: FastifyRequest, reply: FastifyReply): string {
    let secret = request.cookies?.[CSRF_COOKIE];
    if (!secret) {
      secret = this.tokens.secretSync();
      reply.setCookie(CSRF_COOKIE, secret, developerCookieOptions(this.env));
      // The same request may render a second form; let it find the secret just set.
      request.cookies = { ...request.cookies, [CSRF_COOKIE]: secret };
    }
    return this.tokens.create(secret);
  }

  assertValid(request: FastifyRequest): void {
    const secret = request.cookies?.[CSRF_COOKIE];
    const header = request.headers[CSRF_HEADER];
    const field = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    const token = typeof header === 'string' ? header : typeof field === 'string' ? field : '';
    if (!secret || !token || !this.tokens.verify(secret, token)) {
      throw new DomainError('CSRF.INVALID', 403, 'The form has expired or did not come from this site; reload the page and try again.');
    }
  }
}
