import { CreateRequestContext, MikroORM } from '@mikro-orm/postgresql';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { LegacyUsageBatchJob, USAGE_QUEUE, UsageBatchJob, usageBatchOf, UsageEvent } from '@marquee/contracts';
import { keysWithThresholdDue, QuotaNoticesService } from './quota-notices.service';
import { wellFormedRows } from './usage-batch.validator';
import { UsageRepository } from './usage.repository';

/** Drains the gateway's usage batches into PostgreSQL. */
@Processor(USAGE_QUEUE, { concurrency: 2 })
export class UsageProcessor extends WorkerHost {
  private readonly logger = new Logger(UsageProcessor.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly usage: UsageRepository,
    private readonly quotaNotices: QuotaNoticesService,
  ) {
    super();
  }

  @CreateRequestContext()
  async process(job: Job<UsageBatchJob | LegacyUsageBatchJob>): Promise<{ persisted: number; dropped: number }> {
    const { batch, dropped } = wellFormedRows(isLegacy(job.data) ? legacyBatchOf(job.data.events.filter(isObject)) : job.data);
    if (dropped > 0) this.logger.warn(`batch ${job.id}: dropped ${dropped} malformed usage events`);
    const { persisted, standings } = await this.usage.persist(batch);
    const due = keysWithThresholdDue(standings);
    if (due.length > 0) await this.quotaNotices.notify(due);
    return { persisted, dropped };
  }
}

/** Events as batches of the first gateways queued them, each with its time. */
function legacyBatchOf(events: UsageEvent[]): UsageBatchJob {
  return { ...usageBatchOf(events), at: events.map((e) => e.at as number) };
}

function isLegacy(data: UsageBatchJob | LegacyUsageBatchJob): data is LegacyUsageBatchJob {
  return Array.isArray((data as LegacyUsageBatchJob).events);
}

function isObject<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null;
}
