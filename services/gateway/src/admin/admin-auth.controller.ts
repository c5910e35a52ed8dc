import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, MARQUEE_BUS, rpc } from '@marquee/common';
import { AdminLoginRequest, AdminLoginResult, IDENTITY_PATTERNS } from '@marquee/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { Answer } from '../docs/api-responses';
import { PROBLEM_EXAMPLES as P } from '../docs/examples';
import { ADMIN_COOKIE } from './admin-auth.guard';
import { AdminLoginBody } from './admin-login.dto';

@ApiTags('admin')
@Controller('admin/api')
export class AdminAuthController {
  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy, private readonly env: GatewayEnv) {}

  @Post('login')
  @HttpCode(200)
  @Answer(200, 'Signed in; the token is also set as an HttpOnly cookie', { access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…', token_type: 'Bearer', expires_in: 3600 })
  @Answer(401, 'Wrong username or password', P.badCredentials)
  @Answer(429, 'Too many failures; Retry-After says when to try again', P.throttled)
  async login(@Body() body: AdminLoginBody, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await rpc<AdminLoginResult, AdminLoginRequest>(this.bus, IDENTITY_PATTERNS.adminLogin, { ...body, ip: request.ip });
    if (!result.ok && result.code === 'THROTTLED') {
      throw new DomainError('ADMIN.THROTTLED', 429, `Too many failed sign-ins; retry in ${result.retryAfterSeconds} s.`, { 'retry-after': result.retryAfterSeconds });
    }
    if (!result.ok) throw new DomainError('ADMIN.INVALID_CREDENTIALS', 401, 'Wrong username or password.');
    reply.setCookie(ADMIN_COOKIE, result.access_token, { ...this.cookieOptions(), maxAge: result.expires_in });
    return { access_token: result.access_token, token_type: result.token_type, expires_in: result.expires_in };
  }

  @Post('logout')
  @HttpCode(204)
  logout(@Res({ passthrough: true }) reply: FastifyReply): void {
    reply.clearCookie(ADMIN_COOKIE, this.cookieOptions());
  }

  private cookieOptions() {
    return { httpOnly: true, sameSite: 'strict' as const, path: '/admin', secure: this.env.PUBLIC_URL.startsWith('https:') };
  }
}
