import type { FastifyInstance } from 'fastify';
import { UsageBuffer } from './usage-buffer';
import { meterOf } from './metered-request';

/**
 * Meters every answer given to a known key, after it is sent: status and latency are final
 * then, and the caller never waits for metering. A call's time is its arrival, the instant of
 * its request id (UUIDv7): the key check counted it at that instant and the keys worker reads it
 * back from the id, so the database files it in the same month and after the same reset as Redis
 * did, and the log's time order is its id order.
 */
export function registerUsageRecorder(fastify: FastifyInstance, buffer: UsageBuffer): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const meter = meterOf(request);
    if (meter) {
      const query = request.url.indexOf('?');
      const path = query < 0 ? request.url : request.url.slice(0, query);
      buffer.push({
        requestId: request.id,
        apiKeyId: meter.keyId,
        method: request.method,
        endpoint: path.length > 200 ? path.slice(0, 200) : path,
        statusCode: reply.statusCode,
        latencyMs: Math.round(reply.elapsedTime * 100) / 100,
        counted: meter.counted,
      });
    }
    done();
  });
}
