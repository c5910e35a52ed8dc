import type { Client } from 'pg';

/** A statistics target set on one column of an index (`alter index … alter column N set statistics T`). */
export interface IndexStatisticsTarget {
  index: string;
  column: number;
  target: number;
}

/**
 * The statistics targets set on the columns of `table`'s indexes. Dropping an index drops them,
 * and for an expression index they are what the planner's estimates of that expression come
 * from, so whatever rebuilds indexes from their definitions must set them again.
 */
export async function indexStatisticsTargets(client: Pick<Client, 'query'>, table: string): Promise<IndexStatisticsTarget[]> {
  const { rows } = await client.query<IndexStatisticsTarget>(`
    select c.relname as index, a.attnum as column, a.attstattarget as target
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_attribute a on a.attrelid = i.indexrelid
    where i.indrelid = $1::regclass and a.attstattarget > 0`, [table]);
  return rows;
}
