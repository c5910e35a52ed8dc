import { CreateRequestContext, MikroORM } from '@mikro-orm/postgresql';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { OWNED_KEYS_PATTERNS, OwnedLogsRequest, OwnedStatsRequest, OwnedUsageRequest } from '@marquee/contracts';
import { OwnedUsageRepository } from './owned-usage.repository';

@Controller()
export class OwnedUsageController {
  constructor(private readonly orm: MikroORM, private readonly usage: OwnedUsageRepository) {}

  @MessagePattern(OWNED_KEYS_PATTERNS.usage)
  @CreateRequestContext()
  daily(@Payload() { ownerId, from, to }: OwnedUsageRequest) {
    return this.usage.daily(ownerId, from, to);
  }

  @MessagePattern(OWNED_KEYS_PATTERNS.logs)
  @CreateRequestContext()
  logs(@Payload() { ownerId, page, limit }: OwnedLogsRequest) {
    return this.usage.logs(ownerId, page, limit);
  }

  @MessagePattern(OWNED_KEYS_PATTERNS.stats)
  @CreateRequestContext()
  stats(@Payload() { ownerId, days }: OwnedStatsRequest) {
    return this.usage.stats(ownerId, days);
  }
}
