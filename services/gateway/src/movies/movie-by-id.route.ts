import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, notFound, sendProblem } from '@marquee/common';
import { ApiKeyGuard } from '../api-key/api-key.guard';
import { MoviesService } from './movies.service';

const ID = /^\d+$/;

/**
 * GET /movies/{id} and /v1/movies/{id}, the catalogue's hottest call, as a plain Fastify route
 * rather than a controller method: Nest's guard, pipe, interceptor and filter chain costs about
 * 20 µs of the call's ~110 µs of gateway CPU (bench/hot-path.ts). It runs the same key check
 * as the controllers' guard, answers from the same service and turns errors into problem+json
 * through the same function as Nest's filter. Documented in docs/movie-by-id.openapi.ts.
 */
export function registerMovieByIdRoute(app: NestFastifyApplication): void {
  const guard = app.get(ApiKeyGuard);
  const movies = app.get(MoviesService);
  const handler = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): Promise<string> => {
    const { id } = request.params;
    // "/movies/" names no movie: not found, like any other path no route takes, and not a counted call.
    if (id === '') throw notFound('NOT_FOUND', 'GET /movies/ names no movie: the list is at /movies, a movie at /movies/{id}');
    await guard.admit(request, reply);
    if (!ID.test(id)) throw badRequest('INVALID_PARAMETER', `id must be a positive integer; "${id.slice(0, 40)}" is not`);
    const movieId = Number(id);
    // Ids are a sequence: one past what a double holds exactly was never given, and would be misread.
    if (!Number.isSafeInteger(movieId)) throw notFound('MOVIE.NOT_FOUND', `no movie with id ${id}`);
    const body = await movies.byIdJson(movieId);
    reply.header('content-type', 'application/json; charset=utf-8');
    return body;
  };
  const fastify = app.getHttpAdapter().getInstance();
  for (const url of ['/movies/:id', '/v1/movies/:id']) {
    fastify.route({ method: 'GET', url, handler, errorHandler: (error, request, reply) => sendProblem(request, reply, error) });
  }
}
