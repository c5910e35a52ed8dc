/** The identity service: admins and developers, and the tokens that prove who they are. */

export const IDENTITY_PATTERNS = {
  adminLogin: 'identity.admin.login',
} as const;

export interface AdminLoginRequest {
  username: string;
  password: string;
  ip: string;
}

export type AdminLoginResult =
  | { ok: true; access_token: string; token_type: 'Bearer'; expires_in: number }
  | { ok: false; code: 'INVALID_CREDENTIALS' }
  | { ok: false; code: 'THROTTLED'; retryAfterSeconds: number };

/** Claims of every access token identity signs (HS256, pinned on verification). */
export interface AccessTokenClaims {
  sub: string;
  role: 'admin' | 'developer';
  name: string;
}
