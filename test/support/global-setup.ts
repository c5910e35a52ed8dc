import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MAIL_DIR } from './mailbox';
import { startSmtpCatcher } from './smtp-catcher';
import { STACK_FILE, startStack } from './stack';

/**
 * One running system for every e2e suite: two gateway and two keys replicas behind the same
 * Redis, sending mail to a real SMTP server that writes what it receives to MAIL_DIR.
 */
export default async function globalSetup(): Promise<void> {
  const smtp = await startSmtpCatcher(MAIL_DIR);
  (globalThis as { __marqueeSmtp?: typeof smtp }).__marqueeSmtp = smtp;
  const { processes, byLabel: _byLabel, spawnService: _spawnService, ...info } = await startStack({
    gateways: 2, keysReplicas: 2, redisDb: 10, name: 'marquee_e2e', env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
  });
  for (const child of processes) child.unref();
  mkdirSync(dirname(STACK_FILE), { recursive: true });
  writeFileSync(STACK_FILE, JSON.stringify(info, null, 2));
}
