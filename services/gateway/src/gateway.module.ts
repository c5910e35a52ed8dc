import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { BusClientModule, bullConnection, HealthModule, MetricsModule, RedisModule, redisOptions } from '@marquee/common';
import { CSV_IMPORT_QUEUE, MAIL_QUEUE, QUEUE_PREFIX, USAGE_QUEUE } from '@marquee/contracts';
import { Movie } from '@marquee/catalog';
import { databaseConfig } from '@marquee/database';
import { AdminAudit, AuditInterceptor } from './admin/admin-audit';
import { AdminAuthController } from './admin/admin-auth.controller';
import { AdminAnalyticsController } from './admin/admin-analytics.controller';
import { AdminAuditController } from './admin/admin-audit.controller';
import { AdminImportsController } from './admin/admin-imports.controller';
import { AdminLogsController } from './admin/admin-logs.controller';
import { AdminMoviesController } from './admin/admin-movies.controller';
import { AdminAuthGuard } from './admin/admin-auth.guard';
import { AdminSessions } from './admin/admin-sessions';
import { AdminKeysController } from './admin/admin-keys.controller';
import { AdminUsersController } from './admin/admin-users.controller';
import { ApiKeyGuard } from './api-key/api-key.guard';
import { KeyVerifier } from './api-key/key-verifier';
import { AuthController } from './auth/auth.controller';
import { IdentityClient } from './auth/identity-client';
import { GatewayEnv } from './config/gateway.env';
import { Csrf } from './developer/csrf';
import { DeveloperAuthGuard } from './developer/developer-auth.guard';
import { DeveloperSessions } from './developer/developer-sessions';
import { DeveloperKeysClient } from './me/developer-keys-client';
import { MeController } from './me/me.controller';
import { CatalogueEventsController } from './movies/catalogue-events.controller';
import { MovieCache } from './movies/movie-cache';
import { MoviesController } from './movies/movies.controller';
import { MoviesRepository } from './movies/movies.repository';
import { MoviesService } from './movies/movies.service';
import { PortalController } from './portal/portal.controller';
import { PortalPages } from './portal/portal-pages';
import { UsageBuffer } from './usage/usage-buffer';
import { ApiValidationPipe } from './validation/validation.pipe';

@Module({})
export class GatewayModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        // Raw reads only: no identity map, so no request context is needed on the hot path.
        MikroOrmModule.forRoot({ ...databaseConfig({ url: env.DATABASE_URL, entities: [Movie], poolMax: 20 }), registerRequestContext: false }),
        RedisModule.forRoot(env.REDIS_URL),
        BusClientModule.forRoot(env.REDIS_URL),
        // The producer side must fail fast when Redis is down (events stay buffered), not block.
        BullModule.forRoot({ connection: redisOptions(env.REDIS_URL), prefix: QUEUE_PREFIX }),
        BullModule.registerQueue({ name: USAGE_QUEUE, connection: bullConnection(env.REDIS_URL) }),
        // Only read, by the queue board.
        BullModule.registerQueue({ name: CSV_IMPORT_QUEUE, connection: bullConnection(env.REDIS_URL) }),
        BullModule.registerQueue({ name: MAIL_QUEUE, connection: bullConnection(env.REDIS_URL) }),
        JwtModule.register({ secret: env.JWT_SECRET, verifyOptions: { algorithms: ['HS256'] } }),
        HealthModule,
        MetricsModule,
      ],
      controllers: [
        MoviesController, CatalogueEventsController, AdminAuthController, AdminKeysController,
        AdminUsersController, AuthController, MeController, PortalController,
        AdminImportsController, AdminMoviesController, AdminLogsController, AdminAnalyticsController, AdminAuditController,
      ],
      providers: [
        { provide: GatewayEnv, useValue: env },
        { provide: APP_PIPE, useClass: ApiValidationPipe },
        KeyVerifier, ApiKeyGuard, AdminAuthGuard, AdminSessions,
        MoviesRepository, MoviesService, MovieCache,
        UsageBuffer,
        IdentityClient, DeveloperKeysClient, DeveloperSessions, DeveloperAuthGuard, Csrf, PortalPages,
        AdminAudit, AuditInterceptor,
      ],
    };
  }
}
