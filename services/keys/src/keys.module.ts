import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { bullConnection, BusClientModule, HealthModule, MetricsModule, RedisModule } from '@marquee/common';
import { MAIL_QUEUE, QUEUE_PREFIX, USAGE_QUEUE } from '@marquee/contracts';
import { databaseConfig } from '@marquee/database';
import { AnalyticsController } from './analytics/analytics.controller';
import { AnalyticsRepository } from './analytics/analytics.repository';
import { ApiKey } from './api-keys/api-key.entity';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { KeyOwners } from './api-keys/key-owners';
import { OwnedKeysController } from './api-keys/owned-keys.controller';
import { KeysEnv } from './config/keys.env';
import { Plan } from './plans/plan.entity';
import { PlansController } from './plans/plans.controller';
import { OwnedUsageController } from './usage/owned-usage.controller';
import { OwnedUsageRepository } from './usage/owned-usage.repository';
import { QuotaNoticesService } from './usage/quota-notices.service';
import { UsageProcessor } from './usage/usage.processor';
import { UsageRepository } from './usage/usage.repository';

export const KEYS_ENTITIES = [ApiKey, Plan];

@Module({})
export class KeysModule {
  /** `worker: false` builds the module for one-off commands (the CLI) without consuming the queue. */
  static forRoot(env: KeysEnv, { worker = true } = {}): DynamicModule {
    return {
      module: KeysModule,
      imports: [
        MikroOrmModule.forRoot({ ...databaseConfig({ url: env.DATABASE_URL, entities: KEYS_ENTITIES }), registerRequestContext: false }),
        MikroOrmModule.forFeature(KEYS_ENTITIES),
        RedisModule.forRoot(env.REDIS_URL),
        // To ask identity whose a key made by address is (KeyOwners).
        BusClientModule.forRoot(env.REDIS_URL),
        ...(worker
          ? [
            BullModule.forRoot({ connection: bullConnection(env.REDIS_URL), prefix: QUEUE_PREFIX }),
            BullModule.registerQueue({ name: USAGE_QUEUE }, { name: MAIL_QUEUE }),
          ]
          : []),
        HealthModule,
        MetricsModule,
      ],
      controllers: [ApiKeysController, OwnedKeysController, OwnedUsageController, PlansController, AnalyticsController],
      providers: [
        { provide: KeysEnv, useValue: env },
        ApiKeysService,
        KeyOwners,
        UsageRepository,
        OwnedUsageRepository,
        AnalyticsRepository,
        ...(worker ? [UsageProcessor, QuotaNoticesService] : []),
      ],
      exports: [ApiKeysService, KeyOwners],
    };
  }
}
