import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { uuidv7Ms } from '@marquee/common';
import { hashApiKey } from '@marquee/quota';
import { keyRefusal, limitHeaders } from './key-refusal';
import { isWellFormedKey } from './key-format';
import { KeyVerifier } from './key-verifier';
import { meter } from '../usage/metered-request';

/**
 * The hot path in front of every public API call: refuse malformed keys without I/O, then one
 * Redis script checks the key, the monthly quota and the minute window and counts the call.
 * Marks the request so the usage recorder meters it once the answer is sent.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly verifier: KeyVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    await this.admit(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
    return true;
  }

  /** Resolves when the call is admitted (and counted); throws the refusal otherwise. */
  async admit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const raw = request.headers['x-api-key'];
    if (raw === undefined || raw === '') throw keyRefusal('MISSING');
    if (!isWellFormedKey(raw)) throw keyRefusal('MALFORMED');

    // Counted at the instant the usage log will carry: the request's arrival, from its id.
    const at = uuidv7Ms(request.id);
    const check = await this.verifier.verify(hashApiKey(raw), at);
    if (check.ok) {
      reply.headers(limitHeaders(check.limits));
      meter(request, check.keyId, true);
      return;
    }
    switch (check.code) {
      case 'MISS':
      case 'UNKNOWN':
        throw keyRefusal('UNKNOWN');
      default:
        meter(request, check.keyId, false);
        reply.headers(limitHeaders(check.limits));
        throw keyRefusal(check.code, check.limits);
    }
  }
}
