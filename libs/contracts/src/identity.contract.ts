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

/** Claims of every access token identity signs (HS256, pinned on verification), besides iat and exp (and jti on admin tokens). */
export interface AccessTokenClaims {
  sub: string;
  role: 'admin' | 'developer';
  name: string;
}

/** Developer accounts: sign-up, verification, sessions, and the admin's list of developers. */
export const USER_PATTERNS = {
  signup: 'identity.user.signup',
  verify: 'identity.user.verify',
  resendVerification: 'identity.user.resend-verification',
  login: 'identity.user.login',
  get: 'identity.user.get',
  list: 'identity.user.list',
  /** The verified developer an address reaches (aliases included), so keys made for it are theirs. */
  findVerified: 'identity.user.find-verified',
  refresh: 'identity.session.refresh',
  logout: 'identity.session.revoke',
} as const;

export const IDENTITY_EVENTS = {
  /** A developer proved their address; keys issues their first key (idempotently: may arrive twice). */
  userVerified: 'identity.user.verified',
} as const;

/** bcrypt reads at most 72 bytes: a longer password would be silently truncated, so it is refused. */
export const PASSWORD_RULES = { minChars: 10, maxBytes: 72 } as const;

export interface SignupRequest {
  name: string;
  email: string;
  password: string;
}

export interface UserView {
  id: string;
  name: string;
  email: string;
  verified: boolean;
  created_at: string;
}

export interface SignupResult {
  id: string;
  email: string;
  verified: false;
}

export interface VerifyRequest {
  token: string;
}

export type VerifyResult =
  | { ok: true; user: UserView; ticket: string; session: TokenPair }
  | { ok: false; code: 'UNKNOWN' | 'EXPIRED' | 'USED'; email: string | null };

export interface UserVerifiedEvent {
  userId: string;
  email: string;
  name: string;
  /** One-time ticket under which keys stashes the raw first key for the verification landing page. */
  ticket: string;
}

export interface ResendVerificationRequest {
  email: string;
}

export interface DeveloperLoginRequest {
  email: string;
  password: string;
  ip: string;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
}

export type DeveloperLoginResult =
  | ({ ok: true } & TokenPair)
  | { ok: false; code: 'INVALID_CREDENTIALS' | 'NOT_VERIFIED' }
  | { ok: false; code: 'THROTTLED'; retryAfterSeconds: number };

export interface RefreshRequest {
  refreshToken: string;
}

export type RefreshResult = ({ ok: true } & TokenPair) | { ok: false; code: 'INVALID' | 'REUSED' };

export interface UserIdRequest {
  userId: string;
}

export interface FindUserByEmailRequest {
  email: string;
}
export interface FindUserByEmailResult {
  user: UserView | null;
}

export const USER_SORTS = ['created_at', '-created_at', 'email', '-email', 'name', '-name'] as const;
export type UserSort = (typeof USER_SORTS)[number];

export interface ListUsersRequest {
  q?: string;
  verified?: boolean;
  sort: UserSort;
  page: number;
  limit: number;
}

/** See queues.ts before renaming. Identity runs the one processor; keys also enqueues. */
export const MAIL_QUEUE = 'mail';
export const MAIL_JOBS = {
  verification: 'verification',
  quotaThreshold: 'quota-threshold',
} as const;

export interface VerificationMailJob {
  to: string;
  name: string;
  link: string;
  expiresAt: string;
}

export interface QuotaThresholdMailJob {
  to: string;
  keyName: string;
  keyPrefix: string;
  /** 80 or 100 (percent of the monthly quota) */
  threshold: number;
  used: number;
  quota: number;
  resetsAt: string;
}

/** The admin audit trail, kept by identity beside the admins it names. */
export const IDENTITY_AUDIT_PATTERNS = {
  /** Idempotent on `id`: a repeated call records the action once. */
  record: 'identity.audit.record',
  list: 'identity.audit.list',
} as const;

export type AuditTargetType = 'key' | 'import' | 'session';

/**
 * Every action the audit trail records, and so every value its `action` filter takes. The admin
 * portal's filter lists the same (portals/admin/js/pages/audit.js). Stored in rows: renaming one
 * leaves the old name in the trail.
 */
export const AUDIT_ACTIONS = [
  'admin.login', 'key.create', 'key.suspend', 'key.resume', 'key.reset-usage', 'key.change-plan', 'key.delete', 'import.create',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface RecordAuditRequest {
  id: string;
  actorId: string;
  actorName: string;
  action: AuditAction;
  targetType: AuditTargetType | null;
  targetId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface AuditEntryView {
  id: string;
  actor_id: string;
  actor_name: string;
  action: string;
  target_type: AuditTargetType | null;
  target_id: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
  created_at: string;
}

export const AUDIT_SORTS = ['created_at', '-created_at', 'action', '-action', 'actor_name', '-actor_name', 'target_type', '-target_type'] as const;
export type AuditSort = (typeof AUDIT_SORTS)[number];

export interface ListAuditRequest {
  q?: string;
  action?: AuditAction;
  targetId?: string;
  from?: string;
  to?: string;
  sort: AuditSort;
  page: number;
  limit: number;
}
