import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, DomainError } from '@marquee/common';
import { Answer, JsonBodyAnswers } from '../docs/api-responses';
import { DEVELOPER_EXAMPLES as D, DEVELOPER_PROBLEMS as P } from '../docs/examples';
import { DeveloperSessions, REFRESH_COOKIE } from '../developer/developer-sessions';
import { DeveloperKeysClient } from '../me/developer-keys-client';
import { PortalPages } from '../portal/portal-pages';
import { LoginBody, RefreshBody, ResendBody, SignupBody } from './auth.dto';
import { IdentityClient } from './identity-client';

const TOKEN_REFUSALS = {
  UNKNOWN: 'This verification link is not valid. Ask for a new one below.',
  EXPIRED: 'This verification link has expired. Ask for a new one below.',
  USED: 'This verification link was already used, or a newer one was sent. Sign in, or ask for a new link.',
} as const;

/** Developer sign-up, verification and sessions (API.md /auth). Thin: identity holds the rules. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly identity: IdentityClient,
    private readonly keys: DeveloperKeysClient,
    private readonly sessions: DeveloperSessions,
    private readonly pages: PortalPages,
  ) {}

  @Post('signup')
  @Answer(201, 'Account created; a verification mail is on its way', D.signup)
  @Answer(400, 'The e-mail domain is not allowed or is disposable (the detail names the rule)', P.disposableDomain)
  @Answer(409, 'An account with this address (or a Gmail alias of it) exists', P.emailTaken)
  @Answer(422, 'A missing or invalid field, each named', P.invalidSignup)
  @JsonBodyAnswers()
  signup(@Body() body: SignupBody) {
    return this.identity.signup({ name: body.name, email: body.email, password: body.password });
  }

  @Get('verify')
  @ApiQuery({ name: 'token', required: true })
  @Answer(200, 'Verified (JSON clients): the first API key, raw, shown this once. Browsers are redirected to the portal instead.', D.verified)
  @Answer(303, 'Browsers: signed in and redirected to /portal/welcome, which shows the key once', {})
  @Answer(400, 'The link is unknown, expired or already used', P.tokenExpired)
  async verify(@Query('token') token: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const browser = wantsHtml(request);
    if (typeof token !== 'string' || token.length < 10 || token.length > 200) {
      if (browser) return this.pages.verifyFailed(request, reply, TOKEN_REFUSALS.UNKNOWN, null);
      throw badRequest('INVALID_PARAMETER', 'token must be the token from the verification link');
    }
    const result = await this.identity.verify(token);
    if (!result.ok) {
      if (browser) return this.pages.verifyFailed(request, reply, TOKEN_REFUSALS[result.code], result.email);
      throw new DomainError(`AUTH.TOKEN_${result.code}`, 400, TOKEN_REFUSALS[result.code]);
    }
    if (browser) {
      this.sessions.start(reply, result.session);
      return reply.redirect(`/portal/welcome?ticket=${encodeURIComponent(result.ticket)}`, 303);
    }
    const claimed = await this.keys.claimFirst({ ownerId: result.user.id, ownerEmail: result.user.email, ticket: result.ticket });
    return reply.status(200).send({ ...result.user, api_key: claimed.key ?? claimed.existing });
  }

  @Post('resend-verification')
  @HttpCode(202)
  @Answer(202, 'Accepted, whether or not the address has an account', D.resend)
  @Answer(422, 'Not an e-mail address', P.invalidEmail)
  @JsonBodyAnswers()
  async resend(@Body() body: ResendBody) {
    await this.identity.resend(body.email);
    return D.resend;
  }

  @Post('login')
  @HttpCode(200)
  @Answer(200, 'Signed in', D.tokens)
  @Answer(401, 'Wrong e-mail or password (never says which)', P.developerBadCredentials)
  @Answer(403, 'The address is not verified yet', P.notVerified)
  @Answer(429, 'Too many failures for this account or from this address; Retry-After says when', P.developerThrottled)
  @JsonBodyAnswers()
  login(@Body() body: LoginBody, @Req() request: FastifyRequest) {
    return this.identity.login({ email: body.email, password: body.password, ip: request.ip });
  }

  @Post('refresh')
  @HttpCode(200)
  @Answer(200, 'A new pair; the refresh token sent is spent', D.tokens)
  @Answer(401, 'Unknown, expired or reused refresh token (reuse ends the whole sign-in)', P.refreshReused)
  @JsonBodyAnswers()
  refresh(@Body() body: RefreshBody) {
    return this.identity.refresh(body.refresh_token);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBody({ required: false, schema: { type: 'object', properties: { refresh_token: { type: 'string' } } } })
  @Answer(204, 'Signed out: the refresh token (body or portal cookie) and its family are revoked', {})
  @JsonBodyAnswers()
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    // No body is fine here (the portal signs out by cookie), so the body is read, not validated as a DTO.
    const fromBody = (request.body as { refresh_token?: unknown } | undefined)?.refresh_token;
    const token = (typeof fromBody === 'string' && fromBody.length <= 200 ? fromBody : '') || request.cookies?.[REFRESH_COOKIE];
    if (token) await this.identity.logout(token);
    this.sessions.clear(reply);
  }
}

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}
