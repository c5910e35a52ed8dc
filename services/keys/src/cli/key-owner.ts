import type { ClientProxy } from '@nestjs/microservices';
import { DomainError, rpc } from '@marquee/common';
import { FindUserByEmailRequest, FindUserByEmailResult, USER_PATTERNS } from '@marquee/contracts';

export interface KeyOwner {
  ownerEmail: string;
  ownerId: string | null;
}

/**
 * Whose a key made for `email` is, decided as the admin API decides it (gateway,
 * admin-keys.controller.ts): a verified developer's, when the address or an alias of it is
 * theirs, else the address's. Without identity's answer there is no key: an unowned key for a
 * developer who has verified already would never become theirs.
 */
export async function keyOwner(bus: ClientProxy, email: string): Promise<KeyOwner> {
  try {
    const { user } = await rpc<FindUserByEmailResult, FindUserByEmailRequest>(bus, USER_PATTERNS.findVerified, { email });
    return { ownerEmail: user?.email ?? email, ownerId: user?.id ?? null };
  } catch (error) {
    if (!(error instanceof DomainError) || error.status < 500) throw error;
    throw new IdentityUnreachable(email, error.message);
  }
}

export class IdentityUnreachable extends Error {
  constructor(email: string, cause: string) {
    super(
      `identity did not say whether ${email} belongs to a verified developer (${cause}), so no key was made. `
      + 'keys:create asks it over Redis (REDIS_URL), as the admin API does: start identity (npm start runs every service) and retry.',
    );
  }
}
