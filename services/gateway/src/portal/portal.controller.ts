import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@marquee/common';
import type { ApiKeyView, UserView } from '@marquee/contracts';
import { LoginBody, ResendBody, SignupBody } from '../auth/auth.dto';
import { IdentityClient } from '../auth/identity-client';
import { Csrf } from '../developer/csrf';
import { DeveloperSessions, REFRESH_COOKIE } from '../developer/developer-sessions';
import { DeveloperKeysClient } from '../me/developer-keys-client';
import { formErrors } from './form-errors';
import { PortalPages } from './portal-pages';

const SIGNUP_RULE_FIELDS: Record<string, string> = {
  'IDENTITY.DISPOSABLE_DOMAIN': 'email', 'IDENTITY.DOMAIN_NOT_ALLOWED': 'email', 'IDENTITY.EMAIL_TAKEN': 'email', INVALID_FIELDS: 'password',
};

/** The developer portal: server-rendered pages over the same identity and keys calls as the API. */
@ApiExcludeController()
@Controller('portal')
export class PortalController {
  constructor(
    private readonly identity: IdentityClient,
    private readonly keys: DeveloperKeysClient,
    private readonly sessions: DeveloperSessions,
    private readonly csrf: Csrf,
    private readonly pages: PortalPages,
  ) {}

  @Get()
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const developer = await this.sessions.resolve(request, reply);
    return reply.redirect(developer ? '/portal/dashboard' : '/portal/login', 303);
  }

  @Get('signup')
  signupPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'signup', { title: 'Sign up', values: {}, errors: {} });
  }

  @Post('signup')
  async signup(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertValid(request);
    const { value, errors } = await formErrors(SignupBody, request.body);
    const values = { name: value.name, email: value.email };
    if (Object.keys(errors).length) return this.pages.render(request, reply, 'signup', { title: 'Sign up', values, errors }, 422);
    try {
      await this.identity.signup({ name: value.name, email: value.email, password: value.password });
    } catch (error) {
      const field = error instanceof DomainError ? SIGNUP_RULE_FIELDS[error.code] : undefined;
      if (!field) throw error;
      return this.pages.render(request, reply, 'signup', { title: 'Sign up', values, errors: { [field]: (error as DomainError).message } }, (error as DomainError).status);
    }
    return reply.redirect(`/portal/check-inbox?email=${encodeURIComponent(value.email.trim().toLowerCase())}`, 303);
  }

  @Get('login')
  loginPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'login', { title: 'Sign in', values: {}, errors: {} });
  }

  @Post('login')
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertValid(request);
    const { value, errors } = await formErrors(LoginBody, request.body);
    const values = { email: value.email };
    if (Object.keys(errors).length) return this.pages.render(request, reply, 'login', { title: 'Sign in', values, errors }, 422);
    try {
      this.sessions.start(reply, await this.identity.login({ email: value.email, password: value.password, ip: request.ip }));
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      for (const [name, header] of Object.entries(error.headers)) reply.header(name, header);
      const resend = error.code === 'AUTH.NOT_VERIFIED';
      return this.pages.render(request, reply, 'login', { title: 'Sign in', values, errors: {}, error: error.message, resend }, error.status);
    }
    return reply.redirect('/portal/dashboard', 303);
  }

  @Get('check-inbox')
  checkInbox(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query('email') email: unknown) {
    return this.pages.render(request, reply, 'check-inbox', { title: 'Check your inbox', email: typeof email === 'string' ? email.slice(0, 254) : '' });
  }

  @Post('resend')
  async resend(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertValid(request);
    const { value, errors } = await formErrors(ResendBody, request.body);
    const email = typeof value.email === 'string' ? value.email.slice(0, 254) : '';
    if (errors.email) return this.pages.render(request, reply, 'check-inbox', { title: 'Check your inbox', email, error: errors.email }, 422);
    await this.identity.resend(email);
    return this.pages.render(request, reply, 'check-inbox', {
      title: 'Check your inbox', email, notice: 'If this address has an account waiting for confirmation, a new link is on its way. Older links no longer work.',
    });
  }

  /** Where the verification link leads (signed in by it): the raw first key, this once. */
  @Get('welcome')
  async welcome(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query('ticket') ticket: unknown) {
    const user = await this.signedIn(request, reply);
    if (!user) return reply.redirect('/portal/login', 303);
    const claimed = typeof ticket === 'string' && ticket.length <= 100
      ? await this.keys.claimFirst({ ownerId: user.id, ownerEmail: user.email, ticket })
      : { key: null, existing: null };
    return this.pages.render(request, reply, 'welcome', { title: 'Welcome', user, key: claimed.key, existing: claimed.existing });
  }

  @Get('dashboard')
  async dashboard(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const user = await this.signedIn(request, reply);
    if (!user) return reply.redirect('/portal/login', 303);
    const keys = (await this.keys.list(user.id)).map(keyRow);
    return this.pages.render(request, reply, 'dashboard', { title: 'Dashboard', user, keys, charts: true });
  }

  @Post('logout')
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertValid(request);
    const refreshToken = request.cookies?.[REFRESH_COOKIE];
    if (refreshToken) await this.identity.logout(refreshToken);
    this.sessions.clear(reply);
    return reply.redirect('/portal/login', 303);
  }

  private async signedIn(request: FastifyRequest, reply: FastifyReply): Promise<UserView | null> {
    const developer = await this.sessions.resolve(request, reply);
    if (!developer) return null;
    try {
      return await this.identity.profile(developer.claims.sub);
    } catch (error) {
      if (error instanceof DomainError && error.status === 404) return null;
      throw error;
    }
  }
}

/** What the keys table shows: usage against quota as a percentage, dates people read. */
function keyRow(key: ApiKeyView) {
  const percent = key.quota ? Math.min(100, Math.round((key.usage_count / key.quota) * 100)) : 0;
  return {
    ...key,
    active: key.status === 'active',
    percent,
    barClass: percent >= 100 ? 'bg-danger' : percent >= 80 ? 'bg-warning' : 'bg-primary',
    resetsOn: new Date(key.usage_resets_at).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
    lastUsed: key.last_used_at ? `${key.last_used_at.slice(0, 16).replace('T', ' ')} UTC` : 'never',
  };
}
