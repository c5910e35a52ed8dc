import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadKeysEnv } from '../../services/keys/src/config/keys.env';
import { KeysModule } from '../../services/keys/src/keys.module';
import { REDIS_URL } from './harness';

/**
 * The keys service's module in this process, on `databaseUrl`, without its queue worker: its
 * repositories called directly, without RPC or queue in between. Close it when done.
 */
export function keysContext(databaseUrl: string): Promise<INestApplicationContext> {
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = REDIS_URL;
  process.env.LOG_LEVEL = 'error';
  return NestFactory.createApplicationContext(KeysModule.forRoot(loadKeysEnv(), { worker: false }), { logger: ['error'] });
}
