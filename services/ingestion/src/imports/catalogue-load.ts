import type { Client } from 'pg';
import type { ImportMode } from '@marquee/contracts';
import { uuidField } from '@marquee/database';
import { CopyBatches } from './copy-batches';
import { writeRejection } from './copy-rows';
import type { NormalisedMovie } from './csv-row.validator';
import type { ImportRowError } from './import.entity';

/** Rows per COPY statement. */
const BATCH_ROWS = 5000;

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

/** Every attempt takes turns on this lock with every other import while it writes movies. */
export const IMPORT_LOCK = `hashtext('marquee.movies.import')`;

/**
 * Where one import's rows go, on a connection of its own, until `commit` makes them the catalogue.
 * Every rejected row goes to `import_rejections` (the report download), batch by batch.
 */
export abstract class CatalogueLoad {
  /** For the log: how the rows reach the catalogue. */
  abstract readonly route: 'first load' | 'staged merge';
  protected readonly movies: CopyBatches;
  private readonly rejections: CopyBatches;
  private readonly importIdField: Buffer;

  /** `moviesCopy`: the binary COPY the movies go to, its columns in `writeMovie`'s order. */
  protected constructor(protected readonly client: Client, protected readonly importId: string, moviesCopy: string) {
    this.movies = new CopyBatches(client, moviesCopy, BATCH_ROWS);
    this.rejections = new CopyBatches(client, 'copy import_rejections (import_id, line, reason) from stdin with (format binary)', BATCH_ROWS);
    this.importIdField = uuidField(importId);
  }

  abstract addMovie(movie: NormalisedMovie, line: number): void;

  /** Merges what was added and completes the import row, in one transaction: readers see all of it or none. */
  abstract commit(mode: ImportMode, outcome: ImportOutcome): Promise<MergeCounts>;

  addRejection(rejection: ImportRowError): void {
    writeRejection(this.rejections, this.importIdField, rejection);
  }

  /** Sends full batches to PostgreSQL, after the previous ones have landed. */
  async send(): Promise<void> {
    await this.movies.sendFull();
    await this.rejections.sendFull();
  }

  /** Sends the rest and waits until every row has landed. */
  protected async flush(): Promise<void> {
    await this.movies.flush();
    await this.rejections.flush();
  }

  /**
   * Runs `merge` and marks the import completed with its counts in one transaction, so a retry
   * after the commit finds the import done and nothing is counted twice.
   */
  protected async complete(outcome: ImportOutcome, merge: () => Promise<MergeCounts>): Promise<MergeCounts> {
    await this.client.query('begin');
    try {
      const counts = await merge();
      await this.client.query(COMPLETE, [
        this.importId, outcome.bytesDone, outcome.rowsDone, counts.inserted, counts.updated, counts.unchanged,
        counts.duplicates, outcome.rejected, counts.deleted, JSON.stringify(outcome.errors), outcome.unknownColumns,
      ]);
      await this.client.query('commit');
      return counts;
    } catch (error) {
      await this.client.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    // Ending the session rolls back an open transaction and releases its locks.
    await this.client.end().catch(() => undefined);
  }
}

const COMPLETE = `
update imports set status = 'completed', finished_at = clock_timestamp(), failure = null, bytes_done = $2, rows_done = $3,
  inserted = $4, updated = $5, unchanged = $6, duplicates = $7, rejected = $8, deleted = $9,
  errors = $10::jsonb, unknown_columns = $11::text[]
where id = $1`;
