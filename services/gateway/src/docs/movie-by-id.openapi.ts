import type { OpenAPIObject } from '@nestjs/swagger';
import { MOVIE_EXAMPLE, PROBLEM_EXAMPLES as P } from './examples';

const answer = (description: string, example: unknown, type = 'application/problem+json') => ({ description, content: { [type]: { example } } });

/**
 * GET /movies/{id} is registered on Fastify directly (movies/movie-by-id.route.ts), so Nest's
 * scanner does not see it: its operation is written here, with the same answers and examples
 * the controllers document through their decorators.
 */
export function documentMovieById(document: OpenAPIObject): void {
  for (const [path, suffix] of [['/movies/{id}', ''], ['/v1/movies/{id}', '_v1']]) {
    document.paths[path] = {
      get: {
        operationId: `MoviesController_byId${suffix}`,
        tags: ['movies'],
        security: [{ 'api-key': [] }],
        parameters: [
          { name: 'X-API-KEY', in: 'header', required: true, description: 'Your API key (a UUID)', schema: { type: 'string' } },
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
        ],
        responses: {
          200: answer('One movie', MOVIE_EXAMPLE, 'application/json'),
          400: answer('id is not an integer', P.badParameter),
          401: answer('Missing, malformed, unknown or deleted key', P.missingKey),
          403: answer('Suspended or expired key', P.suspended),
          404: answer('No movie with this id', P.notFound),
          429: answer('Monthly quota spent, or per-minute rate limit hit (Retry-After)', P.rateLimited),
          503: answer('A backing service is unavailable', P.unavailable),
        },
      },
    };
  }
}
