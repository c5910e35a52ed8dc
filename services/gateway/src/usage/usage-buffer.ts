import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { USAGE_JOB, USAGE_QUEUE, UsageBatchJob, usageBatchOf, UsageEvent } from '@marquee/contracts';
import { GatewayEnv } from '../config/gateway.env';

/** Past this many unsent events (Redis unreachable for long), the oldest are dropped and logged. */
const MAX_BUFFERED = 200_000;

/**
 * Collects usage events in memory and ships them as one BullMQ job per batch (every
 * USAGE_FLUSH_MS or USAGE_BATCH_MAX events). A job per request would cost a quarter of the
 * throughput; a batch costs nothing measurable. Shutdown flushes what is left, so only a hard
 * crash can lose events: at most one flush interval's worth.
 */
@Injectable()
export class UsageBuffer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(UsageBuffer.name);
  private events: UsageEvent[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    @InjectQueue(USAGE_QUEUE) private readonly queue: Queue<UsageBatchJob>,
    private readonly env: GatewayEnv,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.env.USAGE_FLUSH_MS);
    this.timer.unref();
  }

  push(event: UsageEvent): void {
    this.events.push(event);
    if (this.events.length >= this.env.USAGE_BATCH_MAX) void this.flush();
  }

  get pending(): number {
    return this.events.length;
  }

  /** Sends what is buffered now; concurrent calls share one send. */
  flush(): Promise<void> {
    if (!this.flushing) this.flushing = this.drain().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.flush();
  }

  /**
   * Only what was buffered when the send began: under load, events keep arriving while a job is
   * added, and chasing them sent a job of a few events every millisecond, each costing the keys
   * worker a transaction (per-job work was most of metering's cost). They wait for the next
   * full batch or tick instead.
   */
  private async drain(): Promise<void> {
    let due = this.events.length;
    while (due > 0 && this.events.length > 0) {
      const batch = this.events.splice(0, Math.min(due, this.env.USAGE_BATCH_MAX));
      due -= batch.length;
      try {
        await this.queue.add(USAGE_JOB, usageBatchOf(batch), {
          jobId: randomUUID(),
          attempts: 20,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: { count: 10_000 },
        });
      } catch (error) {
        this.events = batch.concat(this.events);
        if (this.events.length > MAX_BUFFERED) {
          const dropped = this.events.splice(0, this.events.length - MAX_BUFFERED);
          this.logger.error(`dropped ${dropped.length} usage events: the usage queue has been unreachable too long`);
        }
        this.logger.warn(`usage batch not sent (${(error as Error).message}); ${this.events.length} events kept for the next try`);
        return;
      }
    }
  }
}
