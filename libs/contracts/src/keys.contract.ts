import type { Page } from './paging';

/** The keys service: plans, API keys and their usage. */

export const KEYS_PATTERNS = {
  /** Loads one key (by SHA-256 of the raw key) from PostgreSQL into the Redis record cache. */
  loadRecord: 'keys.key.load',
  create: 'keys.key.create',
  list: 'keys.key.list',
  get: 'keys.key.get',
  suspend: 'keys.key.suspend',
  resume: 'keys.key.resume',
  resetUsage: 'keys.key.reset-usage',
  changePlan: 'keys.key.change-plan',
  remove: 'keys.key.delete',
  listPlans: 'keys.plan.list',
} as const;

/** See queues.ts before renaming. */
export const USAGE_QUEUE = 'usage-logs';
export const USAGE_JOB = 'persist-batch';

export type KeyStatus = 'active' | 'suspended';
/** As a key view reports it: a deleted key keeps its stored status, but answers as deleted. */
export type KeyViewStatus = KeyStatus | 'deleted';
/** Plans are rows in `plans`; these three are seeded by the first migration. */
export type PlanCode = string;
export const SEEDED_PLANS = ['free', 'pro', 'unlimited'] as const;

export interface LoadRecordRequest {
  keyHash: string;
}
export interface LoadRecordResult {
  found: boolean;
}

/** One metered API call; `requestId` makes persisting it idempotent. */
export interface UsageEvent {
  requestId: string;
  apiKeyId: string;
  method: string;
  endpoint: string;
  statusCode: number;
  latencyMs: number;
  /** epoch ms; only in batches of earlier gateways: a call's time is its request id's instant (UUIDv7) */
  at?: number;
  /** true when the call was admitted and so consumed quota */
  counted: boolean;
}

/**
 * A batch of usage events as it travels on the usage queue: column by column, each key id
 * written once and referred to by index. About a third of the bytes of the same events as
 * objects (~80 against ~230 each), and the gateway's JSON, Redis and the keys worker's parse and
 * SQL all pay per byte, ~10,000 events a second at full load. Build one with usageBatchOf.
 */
export interface UsageBatchJob {
  keyIds: string[];
  requestId: string[];
  /** index into keyIds */
  key: number[];
  method: string[];
  endpoint: string[];
  status: number[];
  latencyMs: number[];
  /** 1 when the call was admitted and so consumed quota, else 0 */
  counted: number[];
  /**
   * Each call's time, epoch ms. Gateways no longer send it: it is the instant of the call's
   * request id (a UUIDv7 made as the call arrived), which the keys worker reads back, so the two
   * cannot disagree. Without it a 3,000-event job is 216 KB instead of 258, and the gateway's
   * building, stringifying and encoding of it 0.76 µs an event instead of 0.91 (its 13-digit
   * numbers were a third of the stringify). Batches queued by earlier gateways carry it, and it
   * is used when present.
   */
  at?: number[];
}

/** The row columns every UsageBatchJob has, each as long as the batch (keyIds is its dictionary). */
export const USAGE_BATCH_COLUMNS = ['requestId', 'key', 'method', 'endpoint', 'status', 'latencyMs', 'counted'] as const;

/** The rows of `batch` for which `keep` holds, in order, with the same key dictionary (and times, if it has them). */
export function usageBatchRows<B extends UsageBatchJob>(batch: B, keep: (row: number) => boolean): B {
  const kept = { ...usageBatchOf([]), keyIds: batch.keyIds, ...(batch.at ? { at: [] as number[] } : {}) } as B;
  for (let i = 0; i < batch.requestId.length; i += 1) {
    if (!keep(i)) continue;
    for (const c of USAGE_BATCH_COLUMNS) (kept[c] as unknown[]).push(batch[c][i]);
    if (batch.at) kept.at!.push(batch.at[i]);
  }
  return kept;
}

/** How batches were queued before UsageBatchJob: still read, so an upgrade loses none queued. */
export interface LegacyUsageBatchJob {
  events: UsageEvent[];
}

/** The events as one batch. Their `at` does not travel: it is their request id's instant (see UsageBatchJob.at). */
export function usageBatchOf(events: readonly UsageEvent[]): UsageBatchJob {
  const batch: UsageBatchJob = { keyIds: [], requestId: [], key: [], method: [], endpoint: [], status: [], latencyMs: [], counted: [] };
  const keyIndex = new Map<string, number>();
  for (const e of events) {
    let k = keyIndex.get(e.apiKeyId);
    if (k === undefined) {
      k = batch.keyIds.push(e.apiKeyId) - 1;
      keyIndex.set(e.apiKeyId, k);
    }
    batch.requestId.push(e.requestId);
    batch.key.push(k);
    batch.method.push(e.method);
    batch.endpoint.push(e.endpoint);
    batch.status.push(e.statusCode);
    batch.latencyMs.push(e.latencyMs);
    batch.counted.push(e.counted ? 1 : 0);
  }
  return batch;
}

export interface PlanView {
  code: PlanCode;
  name: string;
  monthly_quota: number | null;
  rate_limit_per_minute: number | null;
  max_keys: number;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  owner_id: string | null;
  owner_email: string;
  plan: PlanCode;
  status: KeyViewStatus;
  usage_count: number;
  quota: number | null;
  rate_limit_per_minute: number | null;
  usage_resets_at: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** The only time a raw key leaves the keys service. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

/** A key made by address (admin API, CLI): the keys service asks identity whose the address is. */
export interface CreateKeyRequest {
  ownerEmail: string;
  name: string;
  plan: PlanCode;
  expiresAt?: string | null;
}

export const KEY_SORTS = [
  'created_at', '-created_at', 'name', '-name', 'owner_email', '-owner_email',
  'usage_count', '-usage_count', 'last_used_at', '-last_used_at', 'plan', '-plan', 'status', '-status',
] as const;
export type KeySort = (typeof KEY_SORTS)[number];

export interface ListKeysRequest {
  q?: string;
  status?: KeyStatus;
  plan?: PlanCode;
  sort: KeySort;
  page: number;
  limit: number;
}

export interface KeyIdRequest {
  id: string;
}
export interface ChangePlanRequest {
  id: string;
  plan: PlanCode;
}

/** A developer's own keys and usage: every request carries the owner id, checked first. */
export const OWNED_KEYS_PATTERNS = {
  claimFirst: 'keys.first-key.claim',
  list: 'keys.owned.list',
  create: 'keys.owned.create',
  rotate: 'keys.owned.rotate',
  remove: 'keys.owned.delete',
  countByOwner: 'keys.owned.count',
  usage: 'keys.usage.daily',
  logs: 'keys.owned.logs',
  stats: 'keys.usage.stats',
} as const;

export interface ClaimFirstKeyRequest {
  ownerId: string;
  ownerEmail: string;
  ticket: string;
}

/** `key` is set only the one time the raw first key is handed out. */
export interface ClaimFirstKeyResult {
  key: CreatedApiKey | null;
  existing: ApiKeyView | null;
}

export interface OwnerRequest {
  ownerId: string;
}

export interface OwnedKeyRequest {
  ownerId: string;
  id: string;
}

export interface CreateOwnedKeyRequest {
  ownerId: string;
  ownerEmail: string;
  name: string;
}

export interface CountByOwnerRequest {
  ownerIds: string[];
}

export interface OwnedUsageRequest {
  ownerId: string;
  /** YYYY-MM-DD, inclusive, UTC */
  from: string;
  to: string;
}

export interface UsageBucket {
  date: string;
  requests: number;
  errors: number;
}

export interface OwnedUsage {
  bucket: 'day';
  from: string;
  to: string;
  data: UsageBucket[];
}

export interface OwnedLogsRequest {
  ownerId: string;
  page: number;
  limit: number;
}

export interface OwnedLogView {
  timestamp: string;
  key_id: string;
  key_prefix: string;
  key_name: string;
  method: string;
  endpoint: string;
  status: number;
  latency_ms: number;
}

/** As LogPage: a total past the count cap is not counted, and flagged. */
export interface OwnedLogPage extends Page<OwnedLogView> {
  meta: Page<OwnedLogView>['meta'] & { total_estimated: boolean };
}

export interface OwnedStatsRequest {
  ownerId: string;
  days: number;
}

export interface KeyStats {
  key_id: string;
  name: string;
  prefix: string;
  requests: number;
  errors: number;
  p95_latency_ms: number | null;
}

export interface OwnedStats {
  days: number;
  from: string;
  to: string;
  totals: { requests: number; errors: number; p95_latency_ms: number | null };
  keys: KeyStats[];
}

/** Request logs and usage analytics for the admin portal: reads over usage_logs and the hourly rollups. */
export const KEYS_ANALYTICS_PATTERNS = {
  logs: 'keys.analytics.logs',
  overview: 'keys.analytics.overview',
  timeseries: 'keys.analytics.timeseries',
  leaderboard: 'keys.analytics.leaderboard',
} as const;

export interface UsageLogView {
  /** The call's request id: unique, and time-ordered (UUIDv7). */
  id: string;
  timestamp: string;
  method: string;
  endpoint: string;
  status: number;
  latency_ms: number;
  counted: boolean;
  key_id: string;
  key_prefix: string;
  key_name: string;
  owner_email: string;
}

export const LOG_SORTS = [
  'timestamp', '-timestamp', 'endpoint', '-endpoint', 'method', '-method', 'status', '-status',
  'latency_ms', '-latency_ms', 'key_prefix', '-key_prefix', 'owner_email', '-owner_email',
] as const;
export type LogSort = (typeof LOG_SORTS)[number];

export interface ListLogsRequest {
  keyId?: string;
  /** Substring of the key prefix, key name or owner e-mail. */
  q?: string;
  endpoint?: string;
  method?: string;
  /** An exact status (404) or a class: 2, 3, 4 or 5 for 2xx..5xx. */
  status?: number;
  statusClass?: number;
  from?: string;
  to?: string;
  sort: LogSort;
  page: number;
  limit: number;
  /**
   * Export paging: rows with a smaller request id than this one, newest first by request id
   * (UUIDv7 ids order by time), at constant cost: the primary key walks them.
   */
  beforeId?: string;
}

/** Totals beyond `cap` rows are not counted (a broad count over millions of logs is slow); flagged. */
export interface LogPage extends Page<UsageLogView> {
  meta: Page<UsageLogView>['meta'] & { total_estimated: boolean };
}

export interface AnalyticsRange {
  from: string;
  to: string;
}

export interface UsageOverview extends AnalyticsRange {
  requests: number;
  errors: number;
  /** errors / requests (0 without requests); an error is any status from 400 up. */
  error_rate: number;
  p95_latency_ms: number | null;
  active_keys: number;
}

export type TimeBucket = 'hour' | 'day';

export interface TimeseriesRequest extends AnalyticsRange {
  bucket: TimeBucket;
}

export interface TimeseriesPoint {
  at: string;
  requests: number;
  errors: number;
  avg_latency_ms: number | null;
}

export const LEADERBOARD_SORTS = ['requests', 'errors', 'error_rate', 'p95_latency_ms'] as const;
export type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number];

export interface LeaderboardRequest extends AnalyticsRange {
  sort: LeaderboardSort;
  limit: number;
}

export interface LeaderboardEntry {
  key_id: string;
  key_prefix: string;
  key_name: string;
  owner_email: string;
  plan: PlanCode;
  status: KeyStatus;
  requests: number;
  errors: number;
  error_rate: number;
  p95_latency_ms: number | null;
}
