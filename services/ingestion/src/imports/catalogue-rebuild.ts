import { Client as PgClient } from 'pg';
import type { Client } from 'pg';
import type { ImportMode } from '@marquee/contracts';

export interface MergedCounts {
  inserted: number;
  updated: number;
  distinct_rows: number;
  staged_rows: number;
  deleted: number;
}

const COLUMNS = ['title', 'genres', 'genre_keys', 'director', 'actors', 'plot', 'poster_url'];
const tuple = (alias: string) => `(${COLUMNS.map((c) => `${alias}.${c}`).join(', ')})`;
const CHANGED = `${tuple('m')} is distinct from ${tuple('s')}`;

const SOURCE = `
create temp table import_source as
select distinct on (title_key, year) title, title_key, year, genres, genre_keys, director, actors, plot, poster_url
from import_staging order by title_key, year, line`;

const COUNTS = `
select
  (select count(*) from import_source s where not exists (select 1 from movies m where m.title_key = s.title_key and m.year = s.year))::int as inserted,
  (select count(*) from import_source s join movies m on m.title_key = s.title_key and m.year = s.year where ${CHANGED})::int as updated,
  (select count(*) from import_source)::int as distinct_rows,
  (select count(*) from import_staging)::int as staged_rows,
  (select count(*) from movies m where not exists (select 1 from import_source s where s.title_key = m.title_key and s.year = m.year))::int as absent`;

interface CatalogueIndex {
  name: string;
  definition: string;
  constraint_type: string | null;
}

/** A merged catalogue built beside `movies`, committed, indexed, waiting to be swapped in. */
export interface NextCatalogue {
  counts: MergedCounts;
  indexes: CatalogueIndex[];
  sequence: string;
}

/**
 * Writes the merged catalogue into a new table `movies_next`, commits it and builds its indexes,
 * two at a time on two sessions: building a table and then its indexes (sorted in memory) is
 * several times faster than maintaining three trigram GIN indexes row by row, which is what makes
 * a big upsert slow, and a GIN build uses one core, so two run side by side. Readers keep reading
 * `movies` throughout; `swapInNextCatalogue` then replaces it within the caller's transaction.
 * The caller holds the import lock for the whole rebuild, so `movies` cannot change meanwhile.
 * Movie ids, created_at and unchanged updated_at are kept; new ids continue the old sequence.
 */
export async function buildNextCatalogue(client: Client, mode: ImportMode, databaseUrl: string): Promise<NextCatalogue> {
  // A worker killed during an earlier attempt may have left its half-built table.
  await client.query('drop table if exists movies_next');
  await client.query(SOURCE);
  const counts = (await client.query(COUNTS)).rows[0] as MergedCounts & { absent: number };
  const indexes = (await client.query<CatalogueIndex>(`
    select i.indexname as name, i.indexdef as definition, c.contype as constraint_type
    from pg_indexes i left join pg_constraint c on c.conrelid = 'movies'::regclass and c.conname = i.indexname
    where i.schemaname = current_schema() and i.tablename = 'movies'`)).rows;
  const [{ sequence }] = (await client.query<{ sequence: string }>(`select pg_get_serial_sequence('movies', 'id') as sequence`)).rows;

  await client.query('begin');
  try {
    await client.query(`create table movies_next (like movies including defaults including identity including generated including constraints)`);
    // LIKE does not copy per-column statistics targets; searches plan on them (SearchStatistics migration).
    const targets = (await client.query<{ name: string; target: number }>(`
      select attname as name, attstattarget as target from pg_attribute
      where attrelid = 'movies'::regclass and attnum > 0 and not attisdropped and attstattarget > 0`)).rows;
    for (const { name, target } of targets) {
      await client.query(`alter table movies_next alter column "${name.replace(/"/g, '""')}" set statistics ${Number(target)}`);
    }
    await client.query(`
      insert into movies_next (id, title, title_key, year, genres, genre_keys, director, actors, plot, poster_url, created_at, updated_at)
      select m.id, coalesce(s.title, m.title), m.title_key, m.year,
        case when s.title_key is null then m.genres else s.genres end, case when s.title_key is null then m.genre_keys else s.genre_keys end,
        case when s.title_key is null then m.director else s.director end, case when s.title_key is null then m.actors else s.actors end,
        case when s.title_key is null then m.plot else s.plot end, case when s.title_key is null then m.poster_url else s.poster_url end,
        m.created_at, case when s.title_key is not null and ${CHANGED} then now() else m.updated_at end
      from movies m left join import_source s on s.title_key = m.title_key and s.year = m.year
      ${mode === 'replace' ? 'where s.title_key is not null' : ''}`);
    await client.query(`select setval(pg_get_serial_sequence('movies_next', 'id'), old.last_value, old.is_called) from ${sequence} old`);
    await client.query(`
      insert into movies_next (title, title_key, year, genres, genre_keys, director, actors, plot, poster_url)
      select s.title, s.title_key, s.year, s.genres, s.genre_keys, s.director, s.actors, s.plot, s.poster_url
      from import_source s where not exists (select 1 from movies m where m.title_key = s.title_key and m.year = s.year)
      order by s.title_key, s.year`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }

  const definitions = indexes.map((index) => {
    const definition = index.definition.replace(/^(CREATE (?:UNIQUE )?INDEX )(\S+)( ON (?:\S+\.)?)movies( USING)/, `$1$2_next$3movies_next$4`);
    if (definition === index.definition) throw new Error(`cannot rebuild index ${index.name}: unexpected definition ${index.definition}`);
    return definition;
  });
  await buildIndexesSideBySide(client, databaseUrl, definitions);
  await client.query('analyze movies_next');
  const { absent, ...merged } = counts;
  return { counts: { ...merged, deleted: mode === 'replace' ? absent : 0 }, indexes, sequence };
}

/** Swaps `movies_next` in for `movies`, inside the caller's transaction. */
export async function swapInNextCatalogue(client: Client, next: NextCatalogue): Promise<void> {
  // Readers queue behind a waiting exclusive lock: never make them wait long for it. Past this
  // the attempt fails and BullMQ retries it.
  await client.query(`set local lock_timeout = '5s'`);
  await client.query('lock table movies in access exclusive mode');
  await client.query('drop table movies');
  await client.query('alter table movies_next rename to movies');
  for (const index of next.indexes) {
    const kind = index.constraint_type === 'p' ? 'primary key' : index.constraint_type === 'u' ? 'unique' : undefined;
    await client.query(kind
      ? `alter table movies add constraint "${index.name}" ${kind} using index "${index.name}_next"`
      : `alter index "${index.name}_next" rename to "${index.name}"`);
  }
  const [{ fresh }] = (await client.query<{ fresh: string }>(`select pg_get_serial_sequence('movies', 'id') as fresh`)).rows;
  await client.query(`alter sequence ${fresh} rename to "${next.sequence.split('.').pop()!.replace(/"/g, '')}"`);
}

/**
 * Builds the indexes on two sessions, the costliest first, each session taking the next one as it
 * finishes (CREATE INDEX takes a SHARE lock, which another CREATE INDEX does not wait for).
 */
async function buildIndexesSideBySide(client: Client, databaseUrl: string, definitions: string[]): Promise<void> {
  const cost = (sql: string) => (sql.includes('gin_trgm_ops') ? 3 : sql.includes('INCLUDE') ? 2 : 1);
  const queue = [...definitions].sort((a, b) => cost(b) - cost(a));
  const second = new PgClient({ connectionString: databaseUrl, application_name: 'marquee-ingestion-indexes', connectionTimeoutMillis: 5000 });
  await second.connect();
  try {
    const work = async (session: Client) => {
      await session.query(`set maintenance_work_mem = '256MB'`);
      for (let next = queue.shift(); next; next = queue.shift()) await session.query(next);
    };
    const done = await Promise.allSettled([work(client), work(second)]);
    const failed = done.find((d): d is PromiseRejectedResult => d.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    await second.end().catch(() => undefined);
  }
}
