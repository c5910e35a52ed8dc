import type { FastifyInstance } from 'fastify';
import { Counter, Histogram } from 'prom-client';

const requests = new Counter({
  name: 'marquee_http_requests_total',
  help: 'HTTP requests answered by the gateway',
  labelNames: ['method', 'route', 'status'] as const,
});

const latency = new Histogram({
  name: 'marquee_http_request_duration_seconds',
  help: 'Time from request to answer sent',
  labelNames: ['method', 'route'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

/** Labels use the route pattern (/movies/:id), never the raw URL, so series stay bounded. */
export function registerHttpMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
}
