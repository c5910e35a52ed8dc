import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';
import { sendProblem } from './problem.filter';

/** Fastify's default; a path parameter longer than this is refused before any route runs. */
export const MAX_PARAM_LENGTH = 100;

/**
 * What Fastify refuses before a route runs (a malformed percent-escape, an over-long path
 * parameter): problem+json like every other refusal, instead of Fastify's own JSON shape.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const refusal = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? new DomainError('URI_TOO_LONG', 414, `a path segment is longer than ${MAX_PARAM_LENGTH} characters`)
    : error.code === 'FST_ERR_BAD_URL'
      ? new DomainError('BAD_URL', 400, 'the URL path holds a malformed percent-escape (such as %E0%A4%A)')
      : error;
  sendProblem(request, reply, refusal);
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (headers over the size limit, a
 * malformed request line, a client too slow to send it), as problem+json. The connection is
 * closed after: the parser cannot resume on it.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const body = error.code === 'HPE_HEADER_OVERFLOW'
    ? problem(431, 'HEADERS_TOO_LARGE', 'the request headers are larger than the server accepts (16 KB in all, the URL included)')
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? problem(408, 'REQUEST_TIMEOUT', 'the request was not received in time')
      : problem(400, 'BAD_REQUEST', 'the request is not valid HTTP/1.1');
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${body.status} ${body.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`);
  }
  socket.destroy(error);
}
