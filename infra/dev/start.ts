import { existsSync } from 'node:fs';
import { join } from 'node:path';
import concurrently from 'concurrently';
import { ConfigError } from '@marquee/common';
import { migrate } from '@marquee/database';
import { loadLauncherEnv } from './launcher.env';
import { checkPorts, checkPostgres, checkRedis } from './preflight';
import { ROOT, SERVICES } from './services';
import { waitUntilReady } from './wait-ready';

/** MailDev's CLI, run with this Node (no shell lookup of a global install). */
const MAILDEV_ENTRY = 'node_modules/maildev/dist/bin/maildev.js';

/**
 * `npm start`: checks PostgreSQL and Redis, migrates, then runs the four services as separate
 * processes with prefixed logs. Ctrl-C stops them all; they flush and close on SIGTERM.
 */
async function main(): Promise<void> {
  if (existsSync(join(ROOT, '.env'))) process.loadEnvFile(join(ROOT, '.env'));
  const env = loadLauncherEnv();

  const ports = {
    GATEWAY_PORT: env.GATEWAY_PORT, IDENTITY_PORT: env.IDENTITY_PORT, KEYS_PORT: env.KEYS_PORT, INGESTION_PORT: env.INGESTION_PORT,
    ...(env.MAILDEV ? { MAILDEV_SMTP_PORT: env.MAILDEV_SMTP_PORT, MAILDEV_WEB_PORT: env.MAILDEV_WEB_PORT } : {}),
  };
  const problems = (await Promise.all([checkPostgres(env.DATABASE_URL), checkRedis(env.REDIS_URL), checkPorts(ports)])).filter(Boolean);
  if (problems.length) {
    process.stderr.write(`\nCannot start Marquee:\n${problems.join('\n')}\n\n`);
    process.exit(1);
  }
  await migrate(env.DATABASE_URL, (line) => console.log(`[launcher] ${line}`));

  const publicUrl = env.PUBLIC_URL || `http://localhost:${env.GATEWAY_PORT}`;
  const mailbox = `http://localhost:${env.MAILDEV_WEB_PORT}/index.html`;
  // With MailDev on, every service mails the local catcher; otherwise they use SMTP_URL as configured.
  const mailEnv = env.MAILDEV ? { SMTP_URL: `smtp://127.0.0.1:${env.MAILDEV_SMTP_PORT}` } : {};
  const mailCatcher = env.MAILDEV
    ? [{
      name: 'mail',
      command: `exec node ${MAILDEV_ENTRY} --smtp ${env.MAILDEV_SMTP_PORT} --web ${env.MAILDEV_WEB_PORT} --ip 127.0.0.1 --web-ip 127.0.0.1`,
      cwd: ROOT,
      env: {},
    }]
    : [];

  const { result } = concurrently(
    [
      ...mailCatcher,
      ...SERVICES.map((s) => ({
        name: s.name,
        command: `exec node ${[...(s.nodeArgs ?? []), s.entry].join(' ')}`,
        cwd: ROOT,
        env: { LOG_FORMAT: 'pretty', FORCE_COLOR: '1', PORT: String(env.portOf(s.name)), SERVICE_NAME: s.name, PUBLIC_URL: publicUrl, ...mailEnv },
      })),
    ],
    { prefix: 'name', padPrefix: true, killOthersOn: ['failure'], killSignal: 'SIGTERM', killTimeout: 10_000, prefixColors: ['cyan', 'magenta', 'yellow', 'blue', 'green'] },
  );

  const gateway = `http://localhost:${env.GATEWAY_PORT}`;
  const mailboxReady = env.MAILDEV ? [`http://127.0.0.1:${env.MAILDEV_WEB_PORT}/api/email`] : [];
  waitUntilReady([...SERVICES.map((s) => `http://127.0.0.1:${env.portOf(s.name)}/ready`), ...mailboxReady], 60_000)
    .then(() => {
      console.log([
        '',
        '  Marquee is up.',
        `    Portal     ${publicUrl}/portal   (sign up as a developer)`,
        `    API        ${gateway}/movies   (header X-API-KEY)`,
        `    API docs   ${gateway}/docs`,
        `    Admin      ${gateway}/admin   (portal; its JSON API under /admin/api, queues at /admin/queues)`,
        `    Metrics    ${gateway}/metrics     Health ${gateway}/ready`,
        env.MAILDEV ? `    Mailbox    ${mailbox}   (every mail the stack sends: MailDev)` : '    Mailbox    mail goes to SMTP_URL (MAILDEV=false)',
        `    Sign-in    ${env.ADMIN_USERNAME} / ADMIN_PASSWORD (when unset, identity printed a generated one above on first start)`,
        '    A key:     npm run keys:create -- --owner you@gmail.com --plan free',
        '  Ctrl-C stops everything.',
        '',
      ].join('\n'));
    })
    .catch((error: Error) => console.error(`[launcher] ${error.message}`));

  await result.then(
    () => process.exit(0),
    () => process.exit(1),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `launcher failed: ${(error as Error).message}`}\n`);
  process.exit(1);
});
