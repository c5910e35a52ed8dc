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

/** The admin audit trail, kept by identity beside the admins it names. */
export const IDENTITY_AUDIT_PATTERNS = {
  /** Idempotent on `id`: a repeated call records the action once. */
  record: 'identity.audit.record',
  list: 'identity.audit.list',
} as const;

export type AuditTargetType = 'key' | 'import' | 'session';

export interface RecordAuditRequest {
  id: string;
  actorId: string;
  actorName: string;
  action: string;
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
  action?: string;
  targetId?: string;
  from?: string;
  to?: string;
  sort: AuditSort;
  page: number;
  limit: number;
}
