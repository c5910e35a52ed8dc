import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { isUuid } from '@marquee/common';
import { MAIL_JOBS, MAIL_QUEUE, QuotaThresholdMailJob } from '@marquee/contracts';
import { periodIdOfDate, quotaPeriod } from '@marquee/quota';
import { ApiKey } from '../api-keys/api-key.entity';
import type { QuotaUsageRow } from '../api-keys/api-key.repository';

/** Percent of the monthly quota at which the owner gets one mail, once per key and month each. */
export const QUOTA_THRESHOLDS = [80, 100] as const;


const MAIL_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  // Kept past the month so the job id still deduplicates a repeated enqueue.
  removeOnComplete: { age: 40 * 86_400 },
  removeOnFail: { age: 40 * 86_400 },
};

/** Where a key stands against its monthly quota (dates as YYYY-MM-DD, counts as text). */
export type QuotaStanding = Pick<QuotaUsageRow, 'id' | 'usage_count' | 'usage_period' | 'quota_notice_period' | 'quota_notice_level' | 'monthly_quota'>;

/** The thresholds `used` has reached that were not mailed yet this period. */
export function thresholdsToNotify(used: number, quota: number, alreadyNotified: number): number[] {
  if (quota <= 0) return [];
  return QUOTA_THRESHOLDS.filter((t) => t > alreadyNotified && used * 100 >= quota * t);
}

/** The thresholds a key's standing has reached in period `periodId` that were not mailed yet. */
function dueThresholds(row: QuotaStanding, periodId: string): number[] {
  if (periodIdOfDate(row.usage_period) !== periodId) return [];
  const notified = row.quota_notice_period === row.usage_period ? row.quota_notice_level : 0;
  return thresholdsToNotify(Number(row.usage_count), Number(row.monthly_quota), notified);
}

/** The keys among `standings` with a threshold to mail: only these need notify's transaction. */
export function keysWithThresholdDue(standings: QuotaStanding[], nowMs = Date.now()): string[] {
  const period = quotaPeriod(nowMs);
  return standings.filter((row) => dueThresholds(row, period.id).length > 0).map((row) => row.id);
}

/**
 * After usage is persisted: for each key that crossed 80 % or 100 % of its monthly quota this
 * month, records the level on the key and queues one mail per threshold. The level is written
 * under a row lock and the job id is deterministic, so concurrent batches mail once.
 */
@Injectable()
export class QuotaNoticesService {
  constructor(private readonly em: EntityManager, @InjectQueue(MAIL_QUEUE) private readonly mail: Queue) {}

  async notify(keyIds: string[], nowMs = Date.now()): Promise<number> {
    const ids = [...new Set(keyIds.filter(isUuid))].sort();
    if (ids.length === 0) return 0;
    const period = quotaPeriod(nowMs);
    return this.em.transactional(async (em) => {
      const keys = em.getRepository(ApiKey);
      const rows = await keys.lockQuotaUsage(ids);
      let queued = 0;
      for (const row of rows) {
        const due = dueThresholds(row, period.id);
        if (due.length === 0) continue;
        await keys.recordQuotaNotice(row.id, row.usage_period, Math.max(...due));
        for (const threshold of due) {
          const job: QuotaThresholdMailJob = {
            to: row.owner_email, keyName: row.name, keyPrefix: row.prefix, threshold,
            used: Number(row.usage_count), quota: Number(row.monthly_quota), resetsAt: new Date(period.resetMs).toISOString(),
          };
          // Queued before the commit: a failed commit may leave a queued mail, never a lost one.
          await this.mail.add(MAIL_JOBS.quotaThreshold, job, { ...MAIL_OPTIONS, jobId: `quota-${row.id}-${period.id}-${threshold}` });
          queued += 1;
        }
      }
      return queued;
    });
  }
}
