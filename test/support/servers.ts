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
