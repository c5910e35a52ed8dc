import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserView } from '@marquee/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { Csrf } from '../developer/csrf';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
  "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'",
].join('; ');

/**
 * Renders the developer portal's Handlebars views inside the layout. Handlebars escapes every
 * `{{value}}`; views never use the unescaped `{{{ }}}` for anything a person typed.
 */
@Injectable()
export class PortalPages {
  constructor(private readonly csrf: Csrf, private readonly env: GatewayEnv) {}

  async render(request: FastifyRequest, reply: FastifyReply, view: string, data: PageData, status = 200): Promise<FastifyReply> {
    const html = await reply.viewAsync(`views/${view}.hbs`, {
      ...data,
      csrf: this.csrf.token(request, reply),
      publicUrl: this.env.PUBLIC_URL.replace(/\/+$/, ''),
    });
    // Pages hold a CSRF token and possibly a raw key: never cached, never framed, and only this
    // site's own scripts run (a script injected into a page would find nothing to execute).
    return reply
      .status(status)
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  verifyFailed(request: FastifyRequest, reply: FastifyReply, message: string, email: string | null): Promise<FastifyReply> {
    return this.render(request, reply, 'verify-failed', { title: 'Link not valid', message, email: email ?? '' }, 400);
  }
}

export interface PageData {
  title: string;
  user?: UserView | null;
  [name: string]: unknown;
}
