import { CreateRequestContext, MikroORM } from '@mikro-orm/postgresql';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DeveloperLoginRequest, FindUserByEmailRequest, ListUsersRequest, RefreshRequest, ResendVerificationRequest, SignupRequest, USER_PATTERNS, UserIdRequest,
  VerifyRequest,
} from '@marquee/contracts';
import { SessionsService } from '../sessions/sessions.service';
import { SignupService } from './signup.service';
import { UsersService } from './users.service';

/** RPC surface for developers: sign-up, verification, sessions, profiles. */
@Controller()
export class UsersController {
  constructor(
    private readonly orm: MikroORM,
    private readonly signups: SignupService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @MessagePattern(USER_PATTERNS.signup)
  @CreateRequestContext()
  signup(@Payload() request: SignupRequest) {
    return this.signups.signup(request);
  }

  @MessagePattern(USER_PATTERNS.verify)
  @CreateRequestContext()
  verify(@Payload() { token }: VerifyRequest) {
    return this.signups.verify(token);
  }

  @MessagePattern(USER_PATTERNS.resendVerification)
  @CreateRequestContext()
  async resend(@Payload() { email }: ResendVerificationRequest): Promise<{ accepted: true }> {
    await this.signups.resend(email);
    return { accepted: true };
  }

  @MessagePattern(USER_PATTERNS.login)
  @CreateRequestContext()
  login(@Payload() request: DeveloperLoginRequest) {
    return this.sessions.login(request);
  }

  @MessagePattern(USER_PATTERNS.refresh)
  @CreateRequestContext()
  refresh(@Payload() { refreshToken }: RefreshRequest) {
    return this.sessions.refresh(refreshToken);
  }

  @MessagePattern(USER_PATTERNS.logout)
  @CreateRequestContext()
  async logout(@Payload() { refreshToken }: RefreshRequest): Promise<{ revoked: true }> {
    await this.sessions.logout(refreshToken);
    return { revoked: true };
  }

  @MessagePattern(USER_PATTERNS.get)
  @CreateRequestContext()
  get(@Payload() { userId }: UserIdRequest) {
    return this.users.get(userId);
  }

  @MessagePattern(USER_PATTERNS.findVerified)
  @CreateRequestContext()
  findVerified(@Payload() { email }: FindUserByEmailRequest) {
    return this.users.findVerifiedByEmail(email);
  }

  @MessagePattern(USER_PATTERNS.list)
  @CreateRequestContext()
  list(@Payload() request: ListUsersRequest) {
    return this.users.list(request);
  }
}
