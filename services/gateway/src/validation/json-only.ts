import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { DomainError } from '@marquee/common';
import { PRIVATE_ROUTES } from '../auth/no-store';

const TAKES_MULTIPART = 'takesMultipart';

/** Marks the one JSON-API route that takes a multipart upload instead (it refuses other bodies itself). */
export const TakesMultipart = () => RouteConfig({ [TAKES_MULTIPART]: true });

const JSON_TYPE = /^application\/json\s*(;|$)/i;

const hasBody = (request: FastifyRequest) =>
  request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] ?? '0') !== '0';

const jsonOnly: onRequestHookHandler = (request, _reply, done) => {
  const type = request.headers['content-type'];
  if (type === undefined || JSON_TYPE.test(type) || !hasBody(request)) return done();
  const sent = type.split(';')[0].trim().slice(0, 100) || 'empty';
  done(new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, `Content-Type must be application/json; this body is ${sent}`));
};

/**
 * The JSON API (/admin/api, /auth, /me) takes JSON bodies only, refused otherwise before they are
 * read. A form body there would be parsed like JSON and accepted, and a cross-site HTML form can
 * send one without the CORS preflight a JSON request needs. The portal's forms post to /portal.
 * Attached per route (call before the controllers are registered): the public API's routes
 * carry no extra hook.
 */
export function registerJsonOnly(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (!PRIVATE_ROUTES.test(route.url) || (route.config as Record<string, unknown> | undefined)?.[TAKES_MULTIPART]) return;
    route.onRequest = [...(route.onRequest ? [route.onRequest].flat() : []), jsonOnly];
  });
}
