import type { FastifyInstance, FastifyRequest } from 'fastify';

const METER = 'marqueeMeter';

interface Meter {
  keyId: string;
  counted: boolean;
}

type MeteredRequest = FastifyRequest & { [METER]: Meter | null };

/**
 * Declares the property on Fastify's request prototype, so every request object has it from
 * birth: adding it afterwards to some requests only would give them another hidden class and
 * make property access on requests polymorphic along the whole hot path.
 */
export function declareMeter(fastify: FastifyInstance): void {
  fastify.decorateRequest(METER, null);
}

/** Marks a request as made with a known key; `counted` when it was admitted and used quota. */
export function meter(request: FastifyRequest, keyId: string, counted: boolean): void {
  (request as MeteredRequest)[METER] = { keyId, counted };
}

export function meterOf(request: FastifyRequest): Meter | null {
  return (request as MeteredRequest)[METER] ?? null;
}
