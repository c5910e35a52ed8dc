import type { Client } from 'pg';
import type { ImportMode } from '@marquee/contracts';
import { buildNextCatalogue, MergedCounts, swapInNextCatalogue } from './catalogue-rebuild';
import { CatalogueLoad, IMPORT_LOCK, ImportOutcome, MergeCounts } from './catalogue-load';
import { MOVIE_COPY_COLUMNS, writeMovie } from './copy-rows';
import type { NormalisedMovie } from './csv-row.validator';

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

/**
 * An import into a catalogue that has movies: valid rows are COPYed into a TEMP table in batches;
 * one transaction then merges them into movies and completes the imports row, so a retry after
 * that commit finds the import already done.
 */
export class MovieStaging extends CatalogueLoad {
  readonly route = 'staged merge';

  private constructor(client: Client, importId: string, private readonly databaseUrl: string) {
    super(client, importId, `copy import_staging (line, ${MOVIE_COPY_COLUMNS}) from stdin with (format binary)`);
  }

  static async open(client: Client, databaseUrl: string, importId: string): Promise<MovieStaging> {
    await client.query(`create temp table import_staging (
      line int not null, title text not null, title_key text not null, year int not null, genres text[] not null,
      genre_keys text[] not null, director text, actors text, plot text, poster_url text)`);
    // The merge sorts and hashes the whole file: in memory, not in temporary files.
    await client.query(`set work_mem = '256MB'`);
    return new MovieStaging(client, importId, databaseUrl);
  }

  addMovie(movie: NormalisedMovie, line: number): void {
    writeMovie(this.movies, movie, line);
  }

  /**
   * Merges the staged rows and completes the import: readers see all of it or none. A file as
   * large as the catalogue or larger builds the next catalogue beside it first (committed, then
   * indexed), and only the swap is in the completing transaction.
   */
  async commit(mode: ImportMode, outcome: ImportOutcome): Promise<MergeCounts> {
    const client = this.client;
    await this.flush();
    const rebuild = await this.largeBesideCatalogue();
    if (!rebuild) {
      // For the upsert's first-row-per-title and the replace's anti-join; a rebuild sorts once instead.
      await client.query('create index on import_staging (title_key, year, line)');
      await client.query('analyze import_staging');
    }
    // Two imports merging at once could each delete what the other just wrote; take turns, for
    // the whole rebuild (a session lock: it spans several transactions).
    await client.query(`select pg_advisory_lock(${IMPORT_LOCK})`);
    try {
      const next = rebuild ? await buildNextCatalogue(client, mode, this.databaseUrl) : undefined;
      return await this.complete(outcome, async (): Promise<MergeCounts> => {
        if (next) await swapInNextCatalogue(client, next.shape);
        const merged = next ? next.counts : await this.mergeInPlace(mode);
        return {
          inserted: merged.inserted,
          updated: merged.updated,
          unchanged: merged.distinct_rows - merged.inserted - merged.updated,
          duplicates: merged.staged_rows - merged.distinct_rows,
          deleted: merged.deleted,
        };
      });
    } finally {
      await client.query(`select pg_advisory_unlock(${IMPORT_LOCK})`).catch(() => undefined);
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
}
