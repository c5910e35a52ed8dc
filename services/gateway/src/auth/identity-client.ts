import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { DomainError, MARQUEE_BUS, rpc } from '@marquee/common';
import {
  DeveloperLoginRequest, DeveloperLoginResult, RefreshRequest, RefreshResult, ResendVerificationRequest, SignupRequest, SignupResult,
  TokenPair, USER_PATTERNS, UserIdRequest, UserView, VerifyRequest, VerifyResult,
} from '@marquee/contracts';

/**
 * The identity service as the gateway's controllers (API and portal) use it: one RPC per call,
 * refusals turned into the DomainErrors the API answers with.
 */
@Injectable()
export class IdentityClient {
  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy) {}

  signup(request: SignupRequest): Promise<SignupResult> {
    return rpc<SignupResult, SignupRequest>(this.bus, USER_PATTERNS.signup, request);
  }

  verify(token: string): Promise<VerifyResult> {
    return rpc<VerifyResult, VerifyRequest>(this.bus, USER_PATTERNS.verify, { token });
  }

  async resend(email: string): Promise<void> {
    await rpc<unknown, ResendVerificationRequest>(this.bus, USER_PATTERNS.resendVerification, { email });
  }

  async login(request: DeveloperLoginRequest): Promise<TokenPair> {
    const result = await rpc<DeveloperLoginResult, DeveloperLoginRequest>(this.bus, USER_PATTERNS.login, request);
    if (result.ok) return pairOf(result);
    switch (result.code) {
      case 'THROTTLED':
        throw new DomainError('AUTH.THROTTLED', 429, `Too many failed sign-ins; retry in ${result.retryAfterSeconds} s.`, { 'retry-after': result.retryAfterSeconds });
      case 'NOT_VERIFIED':
        throw new DomainError('AUTH.NOT_VERIFIED', 403, 'Confirm your e-mail address first: follow the link we sent you, or ask for a new one.');
      default:
        throw new DomainError('AUTH.INVALID_CREDENTIALS', 401, 'Wrong e-mail address or password.');
    }
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const result = await rpc<RefreshResult, RefreshRequest>(this.bus, USER_PATTERNS.refresh, { refreshToken });
    if (result.ok) return pairOf(result);
    if (result.code === 'REUSED') {
      throw new DomainError('AUTH.REFRESH_REUSED', 401, 'This refresh token was already used, so this sign-in has been ended everywhere; sign in again.');
    }
    throw new DomainError('AUTH.REFRESH_INVALID', 401, 'The refresh token is unknown, expired or revoked; sign in again.');
  }

  async logout(refreshToken: string): Promise<void> {
    await rpc<unknown, RefreshRequest>(this.bus, USER_PATTERNS.logout, { refreshToken });
  }

  profile(userId: string): Promise<UserView> {
    return rpc<UserView, UserIdRequest>(this.bus, USER_PATTERNS.get, { userId });
  }
}

function pairOf(result: TokenPair): TokenPair {
  return {
    access_token: result.access_token, refresh_token: result.refresh_token, token_type: 'Bearer',
    expires_in: result.expires_in, refresh_expires_in: result.refresh_expires_in,
  };
}
