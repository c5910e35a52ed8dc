import { existsSync } from 'node:fs';
import { join } from 'node:path';
import concurrently from 'concurrently';
import { ConfigError } from '@marquee/common';
import { migrate } from '@marquee/database';
import { loadLauncherEnv } from './launcher.env';
import { checkPostgres, checkRedis } from './preflight';
import { ROOT, SERVICES } from './services';
import { waitUntilReady } from './wait-ready';

/**
 * `npm start`: checks PostgreSQL and Redis, migrates, then runs the four services as separate
 * processes with prefixed logs. Ctrl-C stops them all; they flush and close on SIGTERM.
 */
async function main(): Promise<void> {
  if (existsSync(join(ROOT, '.env'))) process.loadEnvFile(join(ROOT, '.env'));
  const env = loadLauncherEnv();

  const problems = (await Promise.all([checkPostgres(env.DATABASE_URL), checkRedis(env.REDIS_URL)])).filter(Boolean);
  if (problems.length) {
    process.stderr.write(`\nCannot start Marquee:\n${problems.join('\n')}\n\n`);
    process.exit(1);
  }
  await migrate(env.DATABASE_URL, (line) => console.log(`[launcher] ${line}`));

  const { result } = concurrently(
    SERVICES.map((s) => ({
      name: s.name,
      command: `exec node ${[...(s.nodeArgs ?? []), s.entry].join(' ')}`,
      cwd: ROOT,
      env: { LOG_FORMAT: 'pretty', FORCE_COLOR: '1', PORT: String(env.portOf(s.name)), SERVICE_NAME: s.name },
    })),
    { prefix: 'name', padPrefix: true, killOthersOn: ['failure'], killSignal: 'SIGTERM', killTimeout: 10_000, prefixColors: ['magenta', 'yellow', 'blue', 'green'] },
  );

  const gateway = `http://localhost:${env.GATEWAY_PORT}`;
  waitUntilReady(SERVICES.map((s) => `http://127.0.0.1:${env.portOf(s.name)}/ready`), 60_000)
    .then(() => {
      console.log([
        '',
        '  Marquee is up.',
        `    API        ${gateway}/movies   (header X-API-KEY)`,
        `    API docs   ${gateway}/docs`,
        `    Admin API  ${gateway}/admin/api   (POST /admin/api/login)`,
        `    Metrics    ${gateway}/metrics     Health ${gateway}/ready`,
        `    Admin      ${env.ADMIN_USERNAME} / ADMIN_PASSWORD (when unset, identity printed a generated one above on first start)`,
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
