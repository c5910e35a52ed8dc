import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims, AdminLoginRequest, AdminLoginResult } from '@marquee/contracts';
import { IdentityEnv } from '../config/identity.env';
import { Admin } from './admin.entity';
import { ADMIN_LOGINS, LoginThrottle } from './login-throttle';
import { DUMMY_HASH, generatePassword, hashPassword, verifyPassword } from './passwords';

@Injectable()
export class AdminsService {
  private readonly logger = new Logger(AdminsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottle,
    private readonly env: IdentityEnv,
  ) {}

  async login({ username, password, ip }: AdminLoginRequest): Promise<AdminLoginResult> {
    const wait = await this.throttle.retryAfter(username, ip, ADMIN_LOGINS);
    if (wait > 0) return { ok: false, code: 'THROTTLED', retryAfterSeconds: wait };
    const admin = await this.em.findOne(Admin, { username: { $ilike: username.replace(/[\\%_]/g, (c) => `\\${c}`) } });
    const valid = await verifyPassword(password, admin?.hashedPassword ?? DUMMY_HASH);
    if (!admin || !valid) {
      await this.throttle.recordFailure(username, ip, ADMIN_LOGINS);
      return { ok: false, code: 'INVALID_CREDENTIALS' };
    }
    await this.throttle.recordSuccess(username, ip, ADMIN_LOGINS);
    const claims: AccessTokenClaims = { sub: admin.id, role: 'admin', name: admin.username };
    // The jti is what signing out revokes; the gateway refuses admin tokens without one (and without exp).
    const accessToken = await this.jwt.signAsync(claims, { jwtid: randomUUID() });
    return { ok: true, access_token: accessToken, token_type: 'Bearer', expires_in: this.env.ADMIN_TOKEN_TTL_S };
  }

  /**
   * Creates the first admin from ADMIN_USERNAME / ADMIN_PASSWORD when no admin of that name
   * exists. Concurrent replicas race on the unique index; only the one that inserted reports.
   */
  async ensureFirstAdmin(): Promise<void> {
    const username = this.env.ADMIN_USERNAME;
    const generated = this.env.ADMIN_PASSWORD ? undefined : generatePassword();
    const hash = await hashPassword(this.env.ADMIN_PASSWORD || generated!);
    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `insert into admins (username, hashed_password) values (?, ?) on conflict (lower(username)) do nothing returning id`,
      [username, hash],
    );
    if (rows.length === 0) return;
    if (generated) {
      this.logger.warn(`created admin "${username}" with generated password: ${generated}  (shown once; set ADMIN_PASSWORD to choose one)`);
    } else {
      this.logger.log(`created admin "${username}" from ADMIN_PASSWORD`);
    }
  }
}
