import { join } from 'node:path';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MailerModule } from '@nestjs-modules/mailer';
import { HandlebarsAdapter } from '@nestjs-modules/mailer/adapters/handlebars.adapter';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { bullConnection, BusClientModule, HealthModule, MetricsModule, RedisModule, REPO_ROOT } from '@marquee/common';
import { MAIL_QUEUE, QUEUE_PREFIX } from '@marquee/contracts';
import { databaseConfig } from '@marquee/database';
import { Admin } from './admins/admin.entity';
import { AdminsController } from './admins/admins.controller';
import { AdminsService } from './admins/admins.service';
import { FirstAdmin } from './admins/first-admin';
import { LoginThrottle } from './admins/login-throttle';
import { AuditModule } from './audit/audit.module';
import { IdentityEnv } from './config/identity.env';
import { MailProcessor } from './mail/mail.processor';
import { RefreshToken } from './sessions/refresh-token.entity';
import { SessionsService } from './sessions/sessions.service';
import { EmailVerification } from './users/email-verification.entity';
import { SignupService } from './users/signup.service';
import { User } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

const IDENTITY_ENTITIES = [Admin, User, EmailVerification, RefreshToken];

@Module({})
export class IdentityModule {
  static forRoot(env: IdentityEnv): DynamicModule {
    return {
      module: IdentityModule,
      imports: [
        MikroOrmModule.forRoot({ ...databaseConfig({ url: env.DATABASE_URL, entities: IDENTITY_ENTITIES }), registerRequestContext: false }),
        MikroOrmModule.forFeature(IDENTITY_ENTITIES),
        RedisModule.forRoot(env.REDIS_URL),
        BusClientModule.forRoot(env.REDIS_URL),
        BullModule.forRoot({ connection: bullConnection(env.REDIS_URL), prefix: QUEUE_PREFIX }),
        BullModule.registerQueue({ name: MAIL_QUEUE }),
        MailerModule.forRoot({
          transport: env.SMTP_URL,
          template: { dir: join(REPO_ROOT, 'portals', 'developer', 'emails'), adapter: new HandlebarsAdapter(), options: { strict: true } },
        }),
        JwtModule.register({ secret: env.JWT_SECRET, signOptions: { algorithm: 'HS256', expiresIn: env.ADMIN_TOKEN_TTL_S } }),
        HealthModule,
        MetricsModule,
        AuditModule,
      ],
      controllers: [AdminsController, UsersController],
      providers: [
        { provide: IdentityEnv, useValue: env },
        AdminsService, LoginThrottle, FirstAdmin,
        SignupService, SessionsService, UsersService, MailProcessor,
      ],
    };
  }
}
