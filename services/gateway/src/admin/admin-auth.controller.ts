import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ClientProxy } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, MARQUEE_BUS, rpc } from '@marquee/common';
import { AccessTokenClaims, AdminLoginRequest, AdminLoginResult, IDENTITY_PATTERNS } from '@marquee/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { Answer, JsonBodyAnswers } from '../docs/api-responses';
import { PROBLEM_EXAMPLES as P } from '../docs/examples';
import { AdminAudit } from './admin-audit';
import { ADMIN_COOKIE, AdminAuthGuard, AdminRequest } from './admin-auth.guard';
import { AdminSessions } from './admin-sessions';
import { CSRF_COOKIE, csrfToken } from './csrf';
import { AdminLoginBody } from './admin-login.dto';

@ApiTags('admin')
@Controller('admin/api')
export class AdminAuthController {
  constructor(
    @Inject(MARQUEE_BUS) private readonly bus: ClientProxy,
    private readonly env: GatewayEnv,
    private readonly jwt: JwtService,
    private readonly audit: AdminAudit,
    private readonly sessions: AdminSessions,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Answer(200, 'Signed in; the token is also set as an HttpOnly cookie, and csrf_token as the readable marquee_admin_csrf cookie', {
    access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…', token_type: 'Bearer', expires_in: 3600, csrf_token: 'q7V0m3c2Zb1tqY3i8f2N0fJ5k9Qy1Rr6wYv3d2LhXo8',
  })
  @Answer(401, 'Wrong username or password', P.badCredentials)
  @Answer(429, 'Too many failures; Retry-After says when to try again', P.throttled)
  @JsonBodyAnswers()
  async login(@Body() body: AdminLoginBody, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await rpc<AdminLoginResult, AdminLoginRequest>(this.bus, IDENTITY_PATTERNS.adminLogin, { ...body, ip: request.ip });
    if (!result.ok && result.code === 'THROTTLED') {
      throw new DomainError('ADMIN.THROTTLED', 429, `Too many failed sign-ins; retry in ${result.retryAfterSeconds} s.`, { 'retry-after': result.retryAfterSeconds });
    }
    if (!result.ok) throw new DomainError('ADMIN.INVALID_CREDENTIALS', 401, 'Wrong username or password.');
    const csrf = csrfToken(this.env.JWT_SECRET, result.access_token);
    reply.setCookie(ADMIN_COOKIE, result.access_token, { ...this.cookieOptions(), maxAge: result.expires_in });
    reply.setCookie(CSRF_COOKIE, csrf, { ...this.cookieOptions(), httpOnly: false, maxAge: result.expires_in });
    const claims = this.jwt.decode<AccessTokenClaims>(result.access_token);
    await this.audit.record(claims, request.ip, 'admin.login', 'session', null);
    return { access_token: result.access_token, token_type: result.token_type, expires_in: result.expires_in, csrf_token: csrf };
  }

  @Get('session')
  @UseGuards(AdminAuthGuard)
  @Answer(200, 'Who is signed in, and the CSRF token to send as x-csrf-token', { username: 'admin', csrf_token: 'q7V0m3c2Zb1tqY3i8f2N0fJ5k9Qy1Rr6wYv3d2LhXo8' })
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  session(@Req() request: AdminRequest) {
    return { username: request.admin!.name, csrf_token: csrfToken(this.env.JWT_SECRET, request.adminToken!) };
  }

  @Post('logout')
  @HttpCode(204)
  @Answer(204, 'Signed out: the token (Bearer or cookie) is refused from now on, and the cookies are cleared', {})
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    // Unguarded: signing out with a token that is already invalid still clears the cookies.
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : request.cookies?.[ADMIN_COOKIE];
    if (token) await this.sessions.revoke(token);
    reply.clearCookie(ADMIN_COOKIE, this.cookieOptions());
    reply.clearCookie(CSRF_COOKIE, { ...this.cookieOptions(), httpOnly: false });
  }

  private cookieOptions() {
    return { httpOnly: true, sameSite: 'strict' as const, path: '/admin', secure: this.env.secureCookies };
  }
}
