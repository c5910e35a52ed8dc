import type { EntityManager } from '@mikro-orm/postgresql';

/** Raw SQL on the entity manager's connection, inside its transaction when it is in one. */
export function runSql<T extends object[] = Record<string, unknown>[]>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T> {
  return em.getConnection().execute<T>(sql, params as never[], 'all', em.getTransactionContext());
}
