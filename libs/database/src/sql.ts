import type { EntityManager } from '@mikro-orm/postgresql';

/** Raw SQL on the entity manager's connection, inside its transaction when it is in one. */
export function runSql<T extends object[] = Record<string, unknown>[]>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T> {
  return em.getConnection().execute<T>(sql, params as never[], 'all', em.getTransactionContext());
}

/**
 * Raw SQL with its parameters sent to PostgreSQL as bind parameters. runSql lets MikroORM inline
 * them into the text, escaping every character in JavaScript: for a batch's array literals of
 * ~100 KB that escape costs more than the rest of the statement's client side.
 */
export async function runBoundSql<T extends object = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly string[]): Promise<T[]> {
  const query = em.getConnection().getKnex().raw(sql, params as string[]);
  const context = em.getTransactionContext();
  if (context) query.transacting(context);
  return ((await query) as { rows: T[] }).rows;
}

/**
 * A PostgreSQL array literal (`{"a","b"}`), every element quoted. MikroORM inlines a JS array
 * parameter as a comma-separated list, which breaks `?::uuid[]`; one literal keeps an array a
 * single parameter. Also the array cell of COPY's csv format.
 */
export function pgArrayLiteral(values: readonly (string | number | boolean)[]): string {
  if (values.length === 0) return '{}';
  const texts = values.map(String);
  // Nothing to escape is the usual case (a usage batch's endpoints): one join, a third of the cost.
  if (!texts.some((t) => NEEDS_ESCAPE.test(t))) return `{"${texts.join('","')}"}`;
  return `{${texts.map((t) => `"${t.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

const NEEDS_ESCAPE = /[\\"]/;
