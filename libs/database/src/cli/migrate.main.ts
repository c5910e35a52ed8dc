import { BaseEnv, ConfigError, loadEnv } from '@marquee/common';
import { migrate } from './migrate';

/** `npm run migrate`: the pending migrations of the one history, applied to DATABASE_URL. */
async function main(): Promise<void> {
  await migrate(loadEnv(BaseEnv).DATABASE_URL);
}

main().catch((error: Error) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `migration failed: ${error.message}\n`);
  process.exit(1);
});
