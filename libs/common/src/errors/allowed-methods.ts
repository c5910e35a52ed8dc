import type { FastifyRequest, HTTPMethods } from 'fastify';

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The methods some route answers on the path of a request no route took: when there are any,
 * the request used the wrong method (405 with Allow), not a wrong path (404).
 */
export function allowedMethods(request: FastifyRequest, path: string): string[] {
  if (request.routeOptions.url !== undefined) return [];
  return METHODS.filter((method) => method !== request.method && request.server.findRoute({ method, url: path }) !== null);
}
