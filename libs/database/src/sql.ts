import type { EntityManager } from '@mikro-orm/postgresql';

/** Raw SQL on the entity manager's connection, inside its transaction when it is in one. */
export function runSql<T extends object[] = Record<string, unknown>[]>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T> {
  return em.getConnection().execute<T>(sql, params as never[], 'all', em.getTransactionContext());
}

/**
 * A PostgreSQL array literal (`{"a","b"}`), every element quoted. MikroORM inlines a JS array
 * parameter as a comma-separated list, which breaks `?::uuid[]`; one literal keeps an array a
 * single parameter. Also the array cell of COPY's csv format.
 */
export function pgArrayLiteral(values: readonly (string | number | boolean)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
