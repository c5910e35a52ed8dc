import type { JobsOptions } from 'bullmq';

/** Retries with backoff: an SMTP server that is briefly down delays a mail, it does not lose it. */
export const MAIL_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  // The job holds the raw verification link: gone from Redis as soon as the mail is sent.
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400 },
};
