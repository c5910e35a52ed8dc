import type { ApiKeyView } from '@marquee/contracts';
import { periodIdOfDate, quotaPeriod } from '@marquee/quota';
import type { ApiKey } from './api-key.entity';

/** Usage of the current month: a count from an earlier month reads as 0 (the quota reset). */
export function currentUsage(key: ApiKey, nowMs = Date.now()): number {
  return periodIdOfDate(key.usagePeriod) === quotaPeriod(nowMs).id ? Number(key.usageCount) : 0;
}

export function toApiKeyView(key: ApiKey, nowMs = Date.now()): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    owner_id: key.ownerId,
    owner_email: key.ownerEmail,
    plan: key.plan.code,
    status: key.deletedAt ? 'deleted' : key.status,
    usage_count: currentUsage(key, nowMs),
    quota: key.plan.quota,
    rate_limit_per_minute: key.plan.rateLimitPerMinute,
    usage_resets_at: new Date(quotaPeriod(nowMs).resetMs).toISOString(),
    created_at: key.createdAt.toISOString(),
    expires_at: key.expiresAt?.toISOString() ?? null,
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
  };
}
