import type { FastifyInstance } from 'fastify';
import { parse } from 'fast-querystring';

/**
 * The portal's HTML forms post application/x-www-form-urlencoded, parsed as Nest's default
 * parser did. The JSON API under /admin/api, /auth and /me refuses such bodies (json-only.ts).
 */
export function registerFormBody(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parse(body as string));
  });
}
