import { MailerService } from '@nestjs-modules/mailer';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { MAIL_JOBS, MAIL_QUEUE, QuotaThresholdMailJob, VerificationMailJob } from '@marquee/contracts';
import { IdentityEnv } from '../config/identity.env';

/** Sends every mail of the system; a failure throws so BullMQ retries it with backoff. */
@Processor(MAIL_QUEUE, { concurrency: 4 })
export class MailProcessor extends WorkerHost {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(private readonly mailer: MailerService, private readonly env: IdentityEnv) {
    super();
  }

  async process(job: Job): Promise<{ messageId: string }> {
    const sent = await this.mailer.sendMail({ from: this.env.MAIL_FROM, ...this.compose(job) });
    this.logger.log(`mail ${job.name} ${job.id} sent`);
    return { messageId: String(sent?.messageId ?? '') };
  }

  private compose(job: Job) {
    const portal = `${this.env.PUBLIC_URL.replace(/\/+$/, '')}/portal`;
    switch (job.name) {
      case MAIL_JOBS.verification: {
        const data = job.data as VerificationMailJob;
        const context = { name: data.name, link: data.link, expires: formatUtc(data.expiresAt), portal };
        return { to: data.to, subject: 'Confirm your e-mail address for Marquee', template: 'verification', textTemplate: 'verification', context };
      }
      case MAIL_JOBS.quotaThreshold: {
        const data = job.data as QuotaThresholdMailJob;
        const context = {
          keyName: data.keyName, keyPrefix: data.keyPrefix, threshold: data.threshold, used: data.used.toLocaleString('en-US'),
          quota: data.quota.toLocaleString('en-US'), resets: formatUtc(data.resetsAt), portal, spent: data.threshold >= 100,
        };
        const subject = data.threshold >= 100
          ? `Your Marquee key ${data.keyPrefix} has used its monthly quota`
          : `Your Marquee key ${data.keyPrefix} has used ${data.threshold}% of its monthly quota`;
        return { to: data.to, subject, template: 'quota-threshold', textTemplate: 'quota-threshold', context };
      }
      default:
        throw new Error(`unknown mail job ${job.name}`);
    }
  }
}

function formatUtc(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
