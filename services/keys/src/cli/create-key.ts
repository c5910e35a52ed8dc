import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import { BusClientModule, ConfigError, DomainError, isInfrastructureDown, MARQUEE_BUS } from '@marquee/common';
import type { PlanCode } from '@marquee/contracts';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { KeysEnv, loadKeysEnv } from '../config/keys.env';
import { KeysModule } from '../keys.module';
import { IdentityUnreachable, keyOwner } from './key-owner';

const USAGE = 'usage: npm run keys:create -- --owner someone@gmail.com [--plan free|pro|unlimited] [--name "My app"]';

/** The keys service's own code, without its queue worker, and the bus to ask identity who owns the key. */
@Module({})
class CreateKeyCommand {
  static forRoot(env: KeysEnv) {
    return { module: CreateKeyCommand, imports: [KeysModule.forRoot(env, { worker: false }), BusClientModule.forRoot(env.REDIS_URL)] };
  }
}

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
  const app = await NestFactory.createApplicationContext(CreateKeyCommand.forRoot(env), { logger: false, abortOnError: false });
  try {
    const owner = await keyOwner(app.get<ClientProxy>(MARQUEE_BUS), values.owner!);
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
    process.stderr.write(`could not create the key: ${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof DomainError || error instanceof ConfigError) fail(error.message);
  const hint = isInfrastructureDown(error) ? ' (are PostgreSQL and Redis running at DATABASE_URL and REDIS_URL?)' : '';
  process.stderr.write(`could not create the key: ${(error as Error).message}${hint}\n`);
  process.exit(1);
});
