import type { FastifyInstance, onRequestHookHandler } from 'fastify';

/** Sign-in answers carry tokens, key creation the raw key: never kept by a browser or a proxy cache. */
export const PRIVATE_ROUTES = /^\/(admin\/api|auth|me)(\/|$)/;

const noStore: onRequestHookHandler = (_request, reply, done) => {
  reply.header('cache-control', 'no-store');
  done();
};

/**
 * Every answer under /admin/api, /auth and /me is `Cache-Control: no-store`. Attached per route
 * as routes are declared (call before the controllers are registered), so the public API's
 * routes carry no extra hook.
 */
export function registerNoStore(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (!PRIVATE_ROUTES.test(route.url)) return;
    route.onRequest = [...(route.onRequest ? [route.onRequest].flat() : []), noStore];
  });
}
