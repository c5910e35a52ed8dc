import { CreateRequestContext, MikroORM } from '@mikro-orm/postgresql';
import { Controller, Logger } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  ClaimFirstKeyRequest, CountByOwnerRequest, CreateOwnedKeyRequest, IDENTITY_EVENTS, OWNED_KEYS_PATTERNS, OwnedKeyRequest, OwnerRequest,
  UserVerifiedEvent,
} from '@marquee/contracts';
import { ApiKeysService } from './api-keys.service';

/** A developer's own keys. Every request names the owner; a key of anyone else is "not found". */
@Controller()
export class OwnedKeysController {
  private readonly logger = new Logger(OwnedKeysController.name);

  constructor(private readonly orm: MikroORM, private readonly keys: ApiKeysService) {}

  /** Every keys replica hears the event, maybe twice: issueFirstKey makes it one key. */
  @EventPattern(IDENTITY_EVENTS.userVerified)
  @CreateRequestContext()
  async onUserVerified(@Payload() event: UserVerifiedEvent): Promise<void> {
    const issued = await this.keys.issueFirstKey({ ownerId: event.userId, ownerEmail: event.email, ticket: event.ticket });
    if (issued) this.logger.log(`issued the first key ${issued.prefix}… of user ${event.userId}`);
  }

  @MessagePattern(OWNED_KEYS_PATTERNS.claimFirst)
  @CreateRequestContext()
  claimFirst(@Payload() request: ClaimFirstKeyRequest) {
    return this.keys.claimFirstKey(request);
  }

  @MessagePattern(OWNED_KEYS_PATTERNS.list)
  @CreateRequestContext()
  list(@Payload() { ownerId }: OwnerRequest) {
    return this.keys.listOwned(ownerId);
  }

  @MessagePattern(OWNED_KEYS_PATTERNS.create)
  @CreateRequestContext()
  create(@Payload() request: CreateOwnedKeyRequest) {
    return this.keys.createOwned(request);
  }

  @MessagePattern(OWNED_KEYS_PATTERNS.rotate)
  @CreateRequestContext()
  rotate(@Payload() { ownerId, id }: OwnedKeyRequest) {
    return this.keys.rotateOwned(ownerId, id);
  }

  @MessagePattern(OWNED_KEYS_PATTERNS.remove)
  @CreateRequestContext()
  remove(@Payload() { ownerId, id }: OwnedKeyRequest) {
    return this.keys.removeOwned(ownerId, id);
  }

  @MessagePattern(OWNED_KEYS_PATTERNS.countByOwner)
  @CreateRequestContext()
  count(@Payload() { ownerIds }: CountByOwnerRequest) {
    return this.keys.countByOwners(ownerIds);
  }
}
