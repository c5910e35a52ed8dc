import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { allowedMethods } from './allowed-methods';
import { DomainError } from './domain-error';
import { isInfrastructureDown } from './infrastructure-errors';
import { problem, PROBLEM_CONTENT_TYPE, Problem } from './problem';

const logger = new Logger('ProblemFilter');

/** The Nest side of sendProblem: every controller's errors. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendProblem(host.switchToHttp().getRequest<FastifyRequest>(), host.switchToHttp().getResponse<FastifyReply>(), exception);
  }
}

/**
 * The one place an HTTP error becomes problem+json, for Nest's controllers (ProblemFilter) and
 * the routes registered on Fastify directly. Nothing else writes error bodies.
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, exception: unknown): void {
  const { body, headers } = toProblem(exception, request);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

function toProblem(exception: unknown, request: FastifyRequest): { body: Problem; headers: Record<string, string | number> } {
  if (exception instanceof DomainError) {
    return { body: problem(exception.status, exception.code, exception.message), headers: exception.headers };
  }
  if (exception instanceof NotFoundException) {
    const path = request.url.split('?')[0];
    const allowed = allowedMethods(request, path);
    if (allowed.length > 0) {
      return { body: problem(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; it answers ${allowed.join(', ')}`), headers: { allow: allowed.join(', ') } };
    }
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const detail = typeof response === 'string' ? response : httpExceptionDetail(response, exception.message);
    return { body: problem(status, httpCode(status), detail), headers: {} };
  }
  if (isInfrastructureDown(exception)) {
    logger.warn(`${request.method} ${request.url}: dependency unavailable: ${(exception as Error).message}`);
    return { body: problem(503, 'SERVICE_UNAVAILABLE', 'A backing service is unavailable; retry shortly.'), headers: { 'retry-after': 5 } };
  }
  logger.error(`${request.method} ${request.url}: ${(exception as Error)?.stack ?? String(exception)}`);
  return { body: problem(500, 'INTERNAL', 'An unexpected error occurred; it has been logged.'), headers: {} };
}

function httpExceptionDetail(response: object, fallback: string): string {
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return fallback;
}

function httpCode(status: number): string {
  switch (status) {
    case 400: return 'BAD_REQUEST';
    case 401: return 'UNAUTHORIZED';
    case 403: return 'FORBIDDEN';
    case 404: return 'NOT_FOUND';
    case 405: return 'METHOD_NOT_ALLOWED';
    case 409: return 'CONFLICT';
    case 413: return 'PAYLOAD_TOO_LARGE';
    case 415: return 'UNSUPPORTED_MEDIA_TYPE';
    case 422: return 'UNPROCESSABLE';
    case 429: return 'TOO_MANY_REQUESTS';
    default: return status >= 500 ? 'INTERNAL' : 'ERROR';
  }
}
