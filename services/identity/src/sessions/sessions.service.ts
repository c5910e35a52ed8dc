import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims, DeveloperLoginRequest, DeveloperLoginResult, RefreshResult, TokenPair } from '@marquee/contracts';
import { DEVELOPER_LOGINS, LoginThrottle } from '../admins/login-throttle';
import { DUMMY_HASH, verifyPassword } from '../admins/passwords';
import { IdentityEnv } from '../config/identity.env';
import { canonicalEmail } from '../users/email-address';
import { hashToken, newSecretToken } from '../users/secret-token';
import { User } from '../users/user.entity';
import { RefreshToken } from './refresh-token.entity';

/**
 * Developer sessions: a short-lived access JWT plus a refresh token that rotates on every use.
 * A refresh token presented a second time means it was copied: the whole family is revoked,
 * which signs out both the thief and the owner.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottle,
    private readonly env: IdentityEnv,
  ) {}

  async login({ email, password, ip }: DeveloperLoginRequest): Promise<DeveloperLoginResult> {
    const account = canonicalEmail(email);
    const wait = await this.throttle.retryAfter(account, ip, DEVELOPER_LOGINS);
    if (wait > 0) return { ok: false, code: 'THROTTLED', retryAfterSeconds: wait };
    const user = await this.em.getRepository(User).findByCanonical(account);
    // The same bcrypt cost whether or not the address exists: timing reveals nothing.
    const valid = await verifyPassword(password, user?.hashedPassword ?? DUMMY_HASH);
    if (!user || !valid) {
      await this.throttle.recordFailure(account, ip, DEVELOPER_LOGINS);
      return { ok: false, code: 'INVALID_CREDENTIALS' };
    }
    await this.throttle.recordSuccess(account, ip, DEVELOPER_LOGINS);
    if (!user.verified) return { ok: false, code: 'NOT_VERIFIED' };
    return { ok: true, ...(await this.start(user)) };
  }

  /** A new sign-in (token family) for a user who just proved who they are. */
  start(user: User): Promise<TokenPair> {
    return this.issue(user, randomUUID());
  }

  async refresh(refreshToken: string): Promise<RefreshResult> {
    const tokenHash = hashToken(refreshToken);
    return this.em.transactional(async (em) => {
      const tokens = em.getRepository(RefreshToken);
      const spent = await tokens.spend(tokenHash);
      if (!spent) {
        const known = await tokens.findByHash(tokenHash);
        if (known && (known.usedAt || known.revokedAt)) {
          await tokens.revokeFamily(known.familyId);
          return { ok: false, code: 'REUSED' } as const;
        }
        return { ok: false, code: 'INVALID' } as const;
      }
      const user = await em.findOne(User, { id: spent.userId, verified: true });
      if (!user) return { ok: false, code: 'INVALID' } as const;
      return { ok: true, ...(await this.issue(user, spent.familyId, em)) } as const;
    });
  }

  /** Ends the sign-in the token belongs to (its whole family). Unknown tokens are ignored. */
  async logout(refreshToken: string): Promise<void> {
    const tokens = this.em.getRepository(RefreshToken);
    const known = await tokens.findByHash(hashToken(refreshToken));
    if (known) await tokens.revokeFamily(known.familyId);
  }

  private async issue(user: User, familyId: string, em: EntityManager = this.em): Promise<TokenPair> {
    const claims: AccessTokenClaims = { sub: user.id, role: 'developer', name: user.name };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.env.ACCESS_TOKEN_TTL_S });
    const refreshToken = newSecretToken();
    em.create(RefreshToken, {
      userId: user.id, familyId, tokenHash: hashToken(refreshToken), expiresAt: new Date(Date.now() + this.env.REFRESH_TOKEN_TTL_S * 1000),
    });
    await em.flush();
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: this.env.ACCESS_TOKEN_TTL_S,
      refresh_expires_in: this.env.REFRESH_TOKEN_TTL_S,
    };
  }
}
