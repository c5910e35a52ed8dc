import type { FastifyRequest } from 'fastify';

const METER = Symbol('marquee.meter');

interface Meter {
  keyId: string;
  counted: boolean;
}

type MeteredRequest = FastifyRequest & { [METER]?: Meter };

/** Marks a request as made with a known key; `counted` when it was admitted and used quota. */
export function meter(request: FastifyRequest, keyId: string, counted: boolean): void {
  (request as MeteredRequest)[METER] = { keyId, counted };
}

export function meterOf(request: FastifyRequest): Meter | undefined {
  return (request as MeteredRequest)[METER];
}
