import { CreateRequestContext, MikroORM } from '@mikro-orm/postgresql';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { USAGE_QUEUE, UsageBatchJob, UsageEvent } from '@marquee/contracts';
import { QuotaNoticesService } from './quota-notices.service';
import { UsageRepository } from './usage.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  async process(job: Job<UsageBatchJob>): Promise<{ persisted: number; dropped: number }> {
    const events = job.data.events.filter(isWellFormed);
    const dropped = job.data.events.length - events.length;
    if (dropped > 0) this.logger.warn(`batch ${job.id}: dropped ${dropped} malformed usage events`);
    const persisted = await this.usage.persist(events);
    if (persisted > 0) await this.quotaNotices.notify(events.filter((e) => e.counted).map((e) => e.apiKeyId));
    return { persisted, dropped };
  }
}

function isWellFormed(e: UsageEvent): boolean {
  return UUID.test(e.requestId) && UUID.test(e.apiKeyId) && Number.isFinite(e.at) && Number.isInteger(e.statusCode)
    && typeof e.endpoint === 'string' && typeof e.method === 'string' && Number.isFinite(e.latencyMs);
}
