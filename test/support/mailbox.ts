import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaughtMail } from './smtp-catcher';
import { ROOT } from '../../infra/dev/services';

export const MAIL_DIR = join(ROOT, 'test-results', 'mail');

export function mailsTo(address: string): CaughtMail[] {
  if (!existsSync(MAIL_DIR)) return [];
  return readdirSync(MAIL_DIR).sort()
    .map((file) => JSON.parse(readFileSync(join(MAIL_DIR, file), 'utf8')) as CaughtMail)
    .filter((mail) => mail.to.includes(address.toLowerCase()));
}

/** Waits until `address` has received at least `count` mails (optionally matching `subject`). */
export async function waitForMails(address: string, count = 1, subject?: RegExp, timeoutMs = 30_000): Promise<CaughtMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = mailsTo(address).filter((m) => !subject || subject.test(m.subject));
    if (mails.length >= count) return mails;
    if (Date.now() > deadline) throw new Error(`${address} received ${mails.length} of ${count} expected mails within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The verification link of a mail, from its plain-text part. */
export function verificationLink(mail: CaughtMail): string {
  const match = /https?:\/\/\S+\/auth\/verify\?token=[A-Za-z0-9_-]+/.exec(mail.text);
  if (!match) throw new Error(`no verification link in: ${mail.text}`);
  return match[0];
}
