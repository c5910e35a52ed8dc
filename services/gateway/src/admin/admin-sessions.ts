import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import Redis from 'ioredis';
import { DomainError, InjectRedis } from '@marquee/common';
import { AdminClaims, verifyAdminToken } from './admin-token';

const revokedKey = (jti: string) => `mq:revoked-token:${jti}`;

/**
 * Admin sessions are stateless JWTs plus a deny-list: signing out puts the token's jti in Redis
 * until the token would have expired anyway, so the list never outgrows the live sessions. One
 * GET per admin request; the public API never comes here.
 */
@Injectable()
export class AdminSessions {
  constructor(private readonly jwt: JwtService, @InjectRedis() private readonly redis: Redis) {}

  async verify(token: string): Promise<AdminClaims> {
    const claims = await verifyAdminToken(this.jwt, token);
    if (await this.redis.exists(revokedKey(claims.jti))) {
      throw new DomainError('ADMIN.UNAUTHORIZED', 401, 'This admin session was signed out; sign in again.');
    }
    return claims;
  }

  /** Ends the session of `token`; an invalid or expired token has nothing left to end. */
  async revoke(token: string): Promise<void> {
    const claims = await verifyAdminToken(this.jwt, token).catch(() => undefined);
    if (!claims) return;
    const ttl = claims.exp - Math.floor(Date.now() / 1000);
    if (ttl > 0) await this.redis.set(revokedKey(claims.jti), '1', 'EX', ttl);
  }
}
