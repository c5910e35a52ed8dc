import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { Movie } from '@marquee/catalog';
import { bullConnection, BusClientModule, HealthModule, MetricsModule, RedisModule } from '@marquee/common';
import { CSV_IMPORT_QUEUE, QUEUE_PREFIX } from '@marquee/contracts';
import { databaseConfig } from '@marquee/database';
import { IngestionEnv } from './config/ingestion.env';
import { CsvImportProcessor } from './imports/csv-import.processor';
import { Import } from './imports/import.entity';
import { ImportsController } from './imports/imports.controller';
import { ImportsService } from './imports/imports.service';
import { StarterCatalogue } from './imports/starter-catalogue';

export const INGESTION_ENTITIES = [Import, Movie];

@Module({})
export class IngestionModule {
  /** `worker: false` builds the module without consuming the queue or seeding the catalogue. */
  static forRoot(env: IngestionEnv, { worker = true } = {}): DynamicModule {
    return {
      module: IngestionModule,
      imports: [
        MikroOrmModule.forRoot({ ...databaseConfig({ url: env.DATABASE_URL, entities: INGESTION_ENTITIES }), registerRequestContext: false }),
        MikroOrmModule.forFeature([Import]),
        RedisModule.forRoot(env.REDIS_URL),
        BullModule.forRoot({ connection: bullConnection(env.REDIS_URL), prefix: QUEUE_PREFIX }),
        BullModule.registerQueue({ name: CSV_IMPORT_QUEUE }),
        BusClientModule.forRoot(env.REDIS_URL),
        HealthModule,
        MetricsModule,
      ],
      controllers: [ImportsController],
      providers: [
        { provide: IngestionEnv, useValue: env },
        ImportsService,
        ...(worker ? [CsvImportProcessor, StarterCatalogue] : []),
      ],
      exports: [ImportsService],
    };
  }
}
