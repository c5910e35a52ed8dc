import { Client } from 'pg';

/**
 * The PostgreSQL and Redis servers the tests use: the local defaults, or TEST_PG_PORT /
 * TEST_REDIS_PORT so that two checkouts can run their tests side by side without flushing each
 * other's Redis dbs.
 */
export const PG_PORT = Number(process.env.TEST_PG_PORT ?? 5432);
export const REDIS_PORT = Number(process.env.TEST_REDIS_PORT ?? 6379);
export const PG_SERVER = `postgres://postgres@127.0.0.1:${PG_PORT}`;

export function redisUrl(db: number): string {
  return `redis://127.0.0.1:${REDIS_PORT}/${db}`;
}

/** Drops a test's own database, closing whatever connections it left open. */
export async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
