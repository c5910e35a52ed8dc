import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ImportMode } from '@marquee/contracts';
import { pgArrayLiteral } from '@marquee/database';
import { buildNextCatalogue, MergedCounts, swapInNextCatalogue } from './catalogue-rebuild';
import type { ImportRowError } from './import.entity';
import type { NormalisedMovie } from './csv-row.validator';

export interface StagedMovie extends NormalisedMovie {
  line: number;
}

export interface ImportOutcome {
  rowsDone: number;
  bytesDone: number;
  rejected: number;
  errors: ImportRowError[];
  unknownColumns: string[];
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  deleted: number;
}

const STAGING_COLUMNS = 'line, title, title_key, year, genres, genre_keys, director, actors, plot, poster_url';

// The first row of a title/year in file order wins; later ones are the file's duplicates.
const UPSERT = `
with source as (
  select distinct on (title_key, year) title, title_key, year, genres, genre_keys, director, actors, plot, poster_url
  from import_staging order by title_key, year, line
), written as (
  insert into movies as m (title, title_key, year, genres, genre_keys, director, actors, plot, poster_url)
  select * from source
  on conflict (title_key, year) do update set
    title = excluded.title, genres = excluded.genres, genre_keys = excluded.genre_keys, director = excluded.director,
    actors = excluded.actors, plot = excluded.plot, poster_url = excluded.poster_url, updated_at = now()
  where (m.title, m.genres, m.genre_keys, m.director, m.actors, m.plot, m.poster_url)
    is distinct from (excluded.title, excluded.genres, excluded.genre_keys, excluded.director, excluded.actors, excluded.plot, excluded.poster_url)
  returning (xmax = 0) as is_new
)
select
  (select count(*) from written where is_new)::int as inserted,
  (select count(*) from written where not is_new)::int as updated,
  (select count(*) from source)::int as distinct_rows,
  (select count(*) from import_staging)::int as staged_rows`;

const DELETE_ABSENT = `
with gone as (
  delete from movies m where not exists (select 1 from import_staging s where s.title_key = m.title_key and s.year = m.year)
  returning 1
) select count(*)::int as deleted from gone`;

const COMPLETE = `
update imports set status = 'completed', finished_at = clock_timestamp(), failure = null, bytes_done = $2, rows_done = $3,
  inserted = $4, updated = $5, unchanged = $6, duplicates = $7, rejected = $8, deleted = $9,
  errors = $10::jsonb, unknown_columns = $11::text[]
where id = $1`;

/**
 * The staging side of an import, on a connection of its own: the TEMP table lives and dies with
 * it, the merge may outlast the pool's statement timeout, and a killed worker leaves nothing
 * behind. Valid rows arrive by COPY in batches; one transaction then merges them into movies
 * and completes the imports row, so a retry after that commit finds the import already done.
 */
export class MovieStaging {
  private constructor(private readonly client: Client, private readonly databaseUrl: string) {}

  static async open(databaseUrl: string): Promise<MovieStaging> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'marquee-ingestion', connectionTimeoutMillis: 5000 });
    await client.connect();
    const staging = new MovieStaging(client, databaseUrl);
    try {
      await client.query(`create temp table import_staging (
        line int not null, title text not null, title_key text not null, year int not null, genres text[] not null,
        genre_keys text[] not null, director text, actors text, plot text, poster_url text)`);
    } catch (error) {
      await staging.close();
      throw error;
    }
    return staging;
  }

  /**
   * Starts COPYing a batch while the caller parses the next one (PostgreSQL and the parser then
   * share the two cores), after the previous batch has landed: one batch in flight at most, so
   * memory stays bounded. `flush()` waits for the last one.
   */
  async stage(rows: readonly StagedMovie[]): Promise<void> {
    await this.writeAfterPrevious(() => this.copy(rows));
  }

  async stageRejections(importId: string, rows: readonly ImportRowError[]): Promise<void> {
    await this.writeAfterPrevious(() => this.copyRejections(importId, rows));
  }

  async flush(): Promise<void> {
    await this.inFlight;
  }

  private inFlight: Promise<void> = Promise.resolve();

  private async writeAfterPrevious(write: () => Promise<void>): Promise<void> {
    await this.inFlight;
    const next = write();
    // Observed here so a failure never goes unhandled; it is thrown by the next stage() or flush().
    next.catch(() => undefined);
    this.inFlight = next;
  }

  private async copy(rows: readonly StagedMovie[]): Promise<void> {
    if (rows.length === 0) return;
    const text = rows.map(toCsvLine).join('');
    await pipeline(Readable.from([text]), this.client.query(copyFrom(`copy import_staging (${STAGING_COLUMNS}) from stdin with (format csv)`)));
  }

  /** Forgets what an earlier attempt of this import rejected. */
  async clearRejections(importId: string): Promise<void> {
    await this.client.query('delete from import_rejections where import_id = $1', [importId]);
  }

  /** Every rejected row goes to import_rejections (the report download), batch by batch. */
  private async copyRejections(importId: string, rows: readonly ImportRowError[]): Promise<void> {
    if (rows.length === 0) return;
    const text = rows.map((r) => `${quote(importId)},${r.line},${quote(r.reason)}\n`).join('');
    await pipeline(Readable.from([text]), this.client.query(copyFrom('copy import_rejections (import_id, line, reason) from stdin with (format csv)')));
  }

  /**
   * Merges the staged rows and completes the import: readers see all of it or none. A file as
   * large as the catalogue or larger builds the next catalogue beside it first (committed, then
   * indexed), and only the swap is in the completing transaction.
   */
  async commit(importId: string, mode: ImportMode, outcome: ImportOutcome): Promise<MergeCounts> {
    const client = this.client;
    await client.query('create index on import_staging (title_key, year, line)');
    await client.query('analyze import_staging');
    // Two imports merging at once could each delete what the other just wrote; take turns, for
    // the whole rebuild (a session lock: it spans several transactions).
    await client.query(`select pg_advisory_lock(hashtext('marquee.movies.import'))`);
    try {
      const next = (await this.largeBesideCatalogue()) ? await buildNextCatalogue(client, mode, this.databaseUrl) : undefined;
      await client.query('begin');
      try {
        let merged: MergedCounts;
        if (next) {
          await swapInNextCatalogue(client, next);
          merged = next.counts;
        } else {
          merged = await this.mergeInPlace(mode);
        }
        const counts: MergeCounts = {
          inserted: merged.inserted,
          updated: merged.updated,
          unchanged: merged.distinct_rows - merged.inserted - merged.updated,
          duplicates: merged.staged_rows - merged.distinct_rows,
          deleted: merged.deleted,
        };
        await client.query(COMPLETE, [
          importId, outcome.bytesDone, outcome.rowsDone, counts.inserted, counts.updated, counts.unchanged,
          counts.duplicates, outcome.rejected, counts.deleted, JSON.stringify(outcome.errors), outcome.unknownColumns,
        ]);
        await client.query('commit');
        return counts;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('marquee.movies.import'))`).catch(() => undefined);
    }
  }

  /** Rebuilt and swapped when the file is as large as the catalogue or larger, where maintaining the indexes row by row costs more than building them. */
  private async largeBesideCatalogue(): Promise<boolean> {
    const [{ existing, staged }] = (await this.client.query<{ existing: number; staged: number }>(
      'select (select count(*) from movies)::int as existing, (select count(*) from import_staging)::int as staged')).rows;
    return staged > 0 && staged >= existing;
  }

  /** One upsert into `movies` (and, replacing, one delete), for a file small beside the catalogue. */
  private async mergeInPlace(mode: ImportMode): Promise<MergedCounts> {
    const merged = (await this.client.query(UPSERT)).rows[0] as Omit<MergedCounts, 'deleted'>;
    const deleted = mode === 'replace' ? ((await this.client.query(DELETE_ABSENT)).rows[0] as { deleted: number }).deleted : 0;
    return { ...merged, deleted };
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** One row in COPY's csv format: every value quoted, so only NULL is bare-empty. */
function toCsvLine(m: StagedMovie): string {
  return [
    String(m.line), quote(m.title), quote(m.titleKey), String(m.year), quote(pgArrayLiteral(m.genres)),
    quote(pgArrayLiteral(m.genreKeys)), nullable(m.director), nullable(m.actors), nullable(m.plot), nullable(m.posterUrl),
  ].join(',') + '\n';
}

function quote(value: string): string {
  return value.includes('"') ? `"${value.replace(/"/g, '""')}"` : `"${value}"`;
}

function nullable(value: string | null): string {
  return value === null ? '' : quote(value);
}

