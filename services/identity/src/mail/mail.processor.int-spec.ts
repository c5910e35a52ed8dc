import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { loadEnv } from '@marquee/common';
import { MAIL_JOBS, MAIL_QUEUE, VerificationMailJob } from '@marquee/contracts';
import { migrate } from '@marquee/database';
import { dropDatabase, PG_SERVER, redisUrl } from '../../../../test/support/servers';
import type { CaughtMail } from '../../../../test/support/smtp-catcher';
import { startSmtpCatcher } from '../../../../test/support/smtp-catcher';
import { freePort } from '../../../../test/support/stack';
import { IdentityEnv } from '../config/identity.env';
import { IdentityModule } from '../identity.module';
import { MAIL_JOB_OPTIONS } from '../users/mail-jobs';

jest.setTimeout(60_000);

const REDIS_URL = redisUrl(8);
const DATABASE = `marquee_it_identity_${randomBytes(4).toString('hex')}`;
const DATABASE_URL = `${PG_SERVER}/${DATABASE}`;

async function until<T>(probe: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

describe('MailProcessor', () => {
  let app: INestApplicationContext;
  let queue: Queue;
  let smtpPort: number;
  let dir: string;
  let smtp: { close: () => Promise<void> } | undefined;
  const inbox = (): CaughtMail[] => (existsSync(dir) ? readdirSync(dir).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CaughtMail) : []);

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
    await migrate(DATABASE_URL, () => undefined);
    smtpPort = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'marquee-mail-'));
    const env = loadEnv(IdentityEnv, {
      DATABASE_URL, REDIS_URL, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, ADMIN_PASSWORD: 'integration-test-password', LOG_LEVEL: 'silent',
    });
    app = await NestFactory.createApplicationContext(IdentityModule.forRoot(env), { logger: false });
    await app.init();
    queue = app.get<Queue>(getQueueToken(MAIL_QUEUE));
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(DATABASE);
  });

  it('retries a mail while the SMTP server is down and sends it once when it is back, even if queued twice', async () => {
    const job: VerificationMailJob = {
      to: 'ada@gmail.com', name: 'Ada <Lovelace>', link: 'http://localhost:3000/auth/verify?token=abc', expiresAt: '2026-11-23T10:00:00.000Z',
    };
    const options = { ...MAIL_JOB_OPTIONS, backoff: { type: 'fixed', delay: 300 }, jobId: 'verification-int-1' };
    await queue.add(MAIL_JOBS.verification, job, options);

    const failed = await until(() => queue.getJob('verification-int-1'), (j) => (j?.attemptsMade ?? 0) >= 1);
    expect(failed?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(failed?.failedReason).toMatch(/ECONNREFUSED|connect/i);
    await queue.add(MAIL_JOBS.verification, job, options);

    smtp = await startSmtpCatcher(dir, smtpPort);
    const mails = await until(() => inbox(), (m) => m.length >= 1);
    await until(() => queue.getJob('verification-int-1'), (j) => j === undefined);
    await new Promise((r) => setTimeout(r, 500));

    expect(inbox()).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: ['ada@gmail.com'], subject: 'Confirm your e-mail address for Marquee' });
    expect(mails[0].from).toContain('no-reply@marquee.local');
    expect(mails[0].text).toContain('Welcome to Marquee, Ada <Lovelace>');
    expect(mails[0].text).toContain(job.link);
    expect(mails[0].html).toContain('Ada &lt;Lovelace&gt;');
    expect(mails[0].html).toContain(`href="${job.link}"`);
  });
});
