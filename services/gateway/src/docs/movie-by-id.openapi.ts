import type { OpenAPIObject } from '@nestjs/swagger';
import { answerObject, KEY_ANSWERS } from './api-responses';
import { MOVIE_EXAMPLE, PROBLEM_EXAMPLES as P } from './examples';

const ANSWERS: readonly (readonly [number, string, unknown])[] = [
  [200, 'One movie', MOVIE_EXAMPLE],
  [400, 'id is not an integer', P.badId],
  [404, 'No movie with this id', P.notFound],
  ...KEY_ANSWERS,
];

/**
 * GET /movies/{id} is registered on Fastify directly (movies/movie-by-id.route.ts), so Nest's
 * scanner does not see it: its operation is written here, from the same answers and examples
 * the controllers' decorators use.
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
        responses: Object.fromEntries(ANSWERS.map(([status, description, example]) => [status, answerObject(status, description, example)])),
      },
    };
  }
}
