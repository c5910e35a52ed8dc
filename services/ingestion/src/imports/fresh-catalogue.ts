import type { Client } from 'pg';
import type { ImportMode } from '@marquee/contracts';
import {
  analyzeNextTable, CatalogueShape, createNextTable, indexNextTable, readCatalogueShape, swapInNextCatalogue,
} from './catalogue-rebuild';
import { CatalogueLoad, IMPORT_LOCK, ImportOutcome, MergeCounts } from './catalogue-load';
import { MOVIE_COPY_COLUMNS, writeMovie } from './copy-rows';
import type { NormalisedMovie } from './csv-row.validator';

/**
 * A first load: with no catalogue to merge into, rows go straight from the file into a new
 * `movies_next`, created in the same transaction so COPY writes them frozen and all-visible
 * (searches walk index-only at once, no vacuum first), then it is indexed and swapped in. No
 * staging table, no second copy of every row. The import lock is held from the start, so
 * `movies` stays empty until the swap. Duplicates in the file surface as the unique title/year
 * index refusing to build; the first row of each in file order (the lowest id) is kept.
 */
export class FreshCatalogue extends CatalogueLoad {
  readonly route = 'first load';

  private constructor(client: Client, importId: string, private readonly databaseUrl: string, private readonly shape: CatalogueShape) {
    super(client, importId, `copy movies_next (${MOVIE_COPY_COLUMNS}) from stdin with (format binary, freeze)`);
  }

  /** Undefined when the catalogue is not empty, or another import holds the lock (then it may not stay empty). */
  static async open(client: Client, databaseUrl: string, importId: string): Promise<FreshCatalogue | undefined> {
    const [{ locked }] = (await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${IMPORT_LOCK}) as locked`)).rows;
    if (!locked) return undefined;
    try {
      const [{ empty }] = (await client.query<{ empty: boolean }>('select not exists (select 1 from movies) as empty')).rows;
      if (!empty) {
        await client.query(`select pg_advisory_unlock(${IMPORT_LOCK})`);
        return undefined;
      }
      const shape = await readCatalogueShape(client);
      await client.query('begin');
      await createNextTable(client, shape);
      return new FreshCatalogue(client, importId, databaseUrl, shape);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      await client.query(`select pg_advisory_unlock(${IMPORT_LOCK})`).catch(() => undefined);
      throw error;
    }
  }

  addMovie(movie: NormalisedMovie, _line: number): void {
    writeMovie(this.movies, movie);
  }

  async commit(_mode: ImportMode, outcome: ImportOutcome): Promise<MergeCounts> {
    const client = this.client;
    await this.flush();
    // Committed so the second session can build indexes; readers still read `movies`.
    await client.query('commit');
    const duplicates = await indexNextTable(client, this.databaseUrl, this.shape);
    await analyzeNextTable(client, this.shape);
    return this.complete(outcome, async (): Promise<MergeCounts> => {
      await swapInNextCatalogue(client, this.shape);
      return { inserted: this.movies.sent - duplicates, updated: 0, unchanged: 0, duplicates, deleted: 0 };
    });
  }
}
