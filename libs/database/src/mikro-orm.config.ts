import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, Options } from '@mikro-orm/postgresql';
import { MIGRATIONS } from './migrations';

export interface DatabaseConfigInput {
  url: string;
  entities: Options['entities'];
  poolMax?: number;
  debug?: boolean;
}

/**
 * The single MikroORM configuration every service builds on. Connections fail fast
 * (acquire and connect timeouts) so a database outage becomes a 503 in seconds, and the pool
 * reconnects by itself when PostgreSQL returns.
 */
export function databaseConfig(input: DatabaseConfigInput): Options {
  return defineConfig({
    clientUrl: input.url,
    entities: input.entities,
    discovery: { warnWhenNoEntities: false },
    debug: input.debug ?? false,
    pool: { min: 0, max: input.poolMax ?? 10, idleTimeoutMillis: 30_000 },
    driverOptions: {
      acquireConnectionTimeout: 3000,
      connection: { connectionTimeoutMillis: 2000, statement_timeout: 30_000, application_name: 'marquee' },
    },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  });
}
