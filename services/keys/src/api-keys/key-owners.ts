import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { DomainError, MARQUEE_BUS, rpc } from '@marquee/common';
import { FindUserByEmailRequest, FindUserByEmailResult, USER_PATTERNS } from '@marquee/contracts';

export interface KeyOwner {
  ownerEmail: string;
  ownerId: string | null;
}

/**
 * Whose a key made for an address is, for every key made by address (the admin API and the
 * CLI): a verified developer's, when the address or an alias of it is theirs, else the
 * address's. Without identity's answer there is no key: an unowned key for a developer who has
 * verified already would never become theirs.
 */
@Injectable()
export class KeyOwners {
  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy) {}

  async of(email: string): Promise<KeyOwner> {
    try {
      const { user } = await rpc<FindUserByEmailResult, FindUserByEmailRequest>(this.bus, USER_PATTERNS.findVerified, { email });
      return { ownerEmail: user?.email ?? email, ownerId: user?.id ?? null };
    } catch (error) {
      if (!(error instanceof DomainError) || error.status < 500) throw error;
      throw new IdentityUnreachable(email, error.message);
    }
  }
}

/** A 503 to the admin API; the CLI says how to start identity and exits 1. */
export class IdentityUnreachable extends DomainError {
  constructor(email: string, cause: string) {
    super('SERVICE_UNAVAILABLE', 503, `identity did not say whether ${email} belongs to a verified developer (${cause}), so no key was made`);
  }
}
