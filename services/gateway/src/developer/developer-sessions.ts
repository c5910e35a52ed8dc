import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ClientProxy } from '@nestjs/microservices';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MARQUEE_BUS, rpc } from '@marquee/common';
import { AccessTokenClaims, RefreshRequest, RefreshResult, TokenPair, USER_PATTERNS } from '@marquee/contracts';
import { GatewayEnv } from '../config/gateway.env';

export const ACCESS_COOKIE = 'marquee_access';
export const REFRESH_COOKIE = 'marquee_refresh';

export type DeveloperRequest = FastifyRequest & { developer?: AccessTokenClaims };

export interface ResolvedDeveloper {
  claims: AccessTokenClaims;
  /** Cookie sessions need a CSRF token on state-changing calls; Bearer tokens cannot be sent by another site. */
  via: 'bearer' | 'cookie';
}

/** The portal's session in cookies, and the developer behind a Bearer token or those cookies. */
@Injectable()
export class DeveloperSessions {
  constructor(
    private readonly jwt: JwtService,
    @Inject(MARQUEE_BUS) private readonly bus: ClientProxy,
    private readonly env: GatewayEnv,
  ) {}

  /**
   * Bearer header first, else the access cookie; when that cookie is missing or stale but the
   * refresh cookie works, the session is renewed (rotating the refresh token) on the way.
   */
  async resolve(request: FastifyRequest, reply: FastifyReply): Promise<ResolvedDeveloper | null> {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const claims = await this.verify(header.slice(7).trim());
      return claims ? { claims, via: 'bearer' } : null;
    }
    const fromCookie = await this.verify(request.cookies?.[ACCESS_COOKIE]);
    if (fromCookie) return { claims: fromCookie, via: 'cookie' };
    const refreshToken = request.cookies?.[REFRESH_COOKIE];
    if (!refreshToken) return null;
    const renewed = await rpc<RefreshResult, RefreshRequest>(this.bus, USER_PATTERNS.refresh, { refreshToken });
    if (!renewed.ok) {
      this.clear(reply);
      return null;
    }
    this.start(reply, renewed);
    const claims = await this.verify(renewed.access_token);
    return claims ? { claims, via: 'cookie' } : null;
  }

  start(reply: FastifyReply, pair: TokenPair): void {
    reply.setCookie(ACCESS_COOKIE, pair.access_token, { ...this.cookieOptions(), maxAge: pair.expires_in });
    reply.setCookie(REFRESH_COOKIE, pair.refresh_token, { ...this.cookieOptions(), maxAge: pair.refresh_expires_in });
  }

  clear(reply: FastifyReply): void {
    reply.clearCookie(ACCESS_COOKIE, this.cookieOptions());
    reply.clearCookie(REFRESH_COOKIE, this.cookieOptions());
  }

  /** HS256 only (alg=none and tokens signed with any other key fail), and only developer tokens. */
  private async verify(token: string | undefined): Promise<AccessTokenClaims | null> {
    if (!token) return null;
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
      return claims.role === 'developer' && typeof claims.sub === 'string' ? claims : null;
    } catch {
      return null;
    }
  }

  private cookieOptions() {
    return developerCookieOptions(this.env);
  }
}

/** Every developer-portal cookie: HttpOnly, SameSite=Lax, Secure behind https. */
export function developerCookieOptions(env: GatewayEnv) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: env.secureCookies };
}
