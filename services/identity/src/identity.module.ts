import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { HealthModule, MetricsModule, RedisModule } from '@marquee/common';
import { databaseConfig } from '@marquee/database';
import { Admin } from './admins/admin.entity';
import { AdminsController } from './admins/admins.controller';
import { AdminsService } from './admins/admins.service';
import { FirstAdmin } from './admins/first-admin';
import { LoginThrottle } from './admins/login-throttle';
import { AuditModule } from './audit/audit.module';
import { IdentityEnv } from './config/identity.env';

const IDENTITY_ENTITIES = [Admin];

@Module({})
export class IdentityModule {
  static forRoot(env: IdentityEnv): DynamicModule {
    return {
      module: IdentityModule,
      imports: [
        MikroOrmModule.forRoot({ ...databaseConfig({ url: env.DATABASE_URL, entities: IDENTITY_ENTITIES }), registerRequestContext: false }),
        MikroOrmModule.forFeature(IDENTITY_ENTITIES),
        RedisModule.forRoot(env.REDIS_URL),
        JwtModule.register({ secret: env.JWT_SECRET, signOptions: { algorithm: 'HS256', expiresIn: env.ADMIN_TOKEN_TTL_S } }),
        HealthModule,
        MetricsModule,
        AuditModule,
      ],
      controllers: [AdminsController],
      providers: [{ provide: IdentityEnv, useValue: env }, AdminsService, LoginThrottle, FirstAdmin],
    };
  }
}
