import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { NestFactory } from '@nestjs/core';
import { ConfigError, DomainError, isInfrastructureDown } from '@marquee/common';
import type { PlanCode } from '@marquee/contracts';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { IdentityUnreachable, KeyOwners } from '../api-keys/key-owners';
import { loadKeysEnv } from '../config/keys.env';
import { KeysModule } from '../keys.module';

const USAGE = 'usage: npm run keys:create -- --owner someone@gmail.com [--plan free|pro|unlimited] [--name "My app"]';

/**
 * Operator command: creates a key through the keys service's own code and prints it once. Like
 * the admin API, it makes a key for a verified developer's address theirs (identity is asked).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { owner: { type: 'string' }, plan: { type: 'string', default: 'free' }, name: { type: 'string', default: 'Default key' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.owner) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.owner!)) fail(`--owner must be an e-mail address; "${values.owner}" is not`);
  const env = loadKeysEnv();
  // Nest's own handling of a failed start logs a stack trace and exits; ours below names the cause.
  const app = await NestFactory.createApplicationContext(KeysModule.forRoot(env, { worker: false }), { logger: false, abortOnError: false });
  try {
    const owner = await app.get(KeyOwners).of(values.owner!);
    const orm = app.get(MikroORM);
    const created = await RequestContext.create(orm.em, () => app.get(ApiKeysService).create({
      ...owner, name: values.name!, plan: values.plan as PlanCode,
    }));
    const whose = created.owner_id ? `developer ${created.owner_email} (user ${created.owner_id})` : created.owner_email;
    process.stdout.write(`${created.key}\n`);
    process.stderr.write(`created key ${created.prefix}… (id ${created.id}, plan ${created.plan}) for ${whose}. It is shown only this once.\n`);
  } finally {
    await app.close();
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

main().catch((error: unknown) => {
  if (error instanceof IdentityUnreachable) {
    process.stderr.write(`could not create the key: ${error.message}. keys:create asks identity over Redis (REDIS_URL), `
      + 'as the admin API does: start identity (npm start runs every service) and retry.\n');
    process.exit(1);
  }
  if (error instanceof DomainError || error instanceof ConfigError) fail(error.message);
  const hint = isInfrastructureDown(error) ? ' (are PostgreSQL and Redis running at DATABASE_URL and REDIS_URL?)' : '';
  process.stderr.write(`could not create the key: ${(error as Error).message}${hint}\n`);
  process.exit(1);
});
