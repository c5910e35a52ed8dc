import { rm, stat } from 'node:fs/promises';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { CreateRequestContext, MikroORM } from '@mikro-orm/postgresql';
import { InjectRepository } from '@mikro-orm/nestjs';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { Job, UnrecoverableError } from 'bullmq';
import { lastValueFrom, timeout } from 'rxjs';
import { MARQUEE_BUS } from '@marquee/common';
import { CSV_IMPORT_QUEUE, CsvImportJob, INGESTION_EVENTS, MoviesImportedEvent } from '@marquee/contracts';
import { IngestionEnv } from '../config/ingestion.env';
import type { CatalogueLoad, ImportOutcome } from './catalogue-load';
import { resolveLayout, RowValidator } from './csv-row.validator';
import { readCsv } from './csv-reader';
import { Import, ImportRowError } from './import.entity';
import { ImportFailure } from './import-failure';
import { ImportRepository } from './import.repository';
import { openCatalogueLoad } from './open-catalogue-load';

const KEPT_ERRORS = 1000;
const UNCLOSED_QUOTE = {
  ok: false, reason: 'a quote opened in this row is never closed: every line after it, to the end of the file, was read into it',
} as const;
/** A file stages at ~300k rows/s: a coarser step would leave most imports without any progress shown. */
const PROGRESS_EVERY_MS = 250;
/**
 * A killed worker's job is retried once its lock expires and the stalled check runs: at most
 * twice this. Long enough that a busy event loop (a big merge is awaited, never blocking) keeps it.
 */
const LOCK_MS = 15_000;

/**
 * Imports one CSV file into the catalogue: stream → validate → COPY (straight into a new catalogue
 * when there is none yet, else into staging) → one completing transaction. Every attempt starts
 * from scratch and converges on the same table, so a worker killed mid-file only costs time.
 */
@Processor(CSV_IMPORT_QUEUE, { concurrency: 1, lockDuration: LOCK_MS, stalledInterval: LOCK_MS })
export class CsvImportProcessor extends WorkerHost {
  private readonly logger = new Logger(CsvImportProcessor.name);

  constructor(
    private readonly orm: MikroORM,
    @InjectRepository(Import) private readonly imports: ImportRepository,
    @Inject(MARQUEE_BUS) private readonly bus: ClientProxy,
    private readonly env: IngestionEnv,
  ) {
    super();
  }

  @CreateRequestContext()
  async process(job: Job<CsvImportJob>): Promise<MoviesImportedEvent> {
    const row = await this.imports.findOne({ id: job.data.importId });
    if (!row) throw new UnrecoverableError(`import ${job.data.importId} does not exist`);
    if (row.status === 'completed') {
      // The merge committed but the worker died before the event went out.
      const event = toEvent(row);
      await this.announce(event);
      return event;
    }
    try {
      const event = await this.run(row);
      await this.removeUpload(row.filePath);
      this.logger.log(`import ${row.id} (${row.fileName}, ${row.mode}) completed: ${event.inserted} inserted, ${event.updated} updated, ${event.deleted} deleted`);
      await this.announce(event);
      await this.refreshStatistics(row.id);
      return event;
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof ImportFailure) {
        await this.imports.fail(row.id, message);
        await this.removeUpload(row.filePath);
        this.logger.warn(`import ${row.id} (${row.fileName}) failed: ${message}`);
        throw new UnrecoverableError(message);
      }
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.warn(`import ${row.id} (${row.fileName}) attempt ${job.attemptsMade + 1} failed${finalAttempt ? ' for good' : ', will retry'}: ${message}`);
      await (finalAttempt ? this.imports.fail(row.id, message) : this.imports.retrying(row.id, `attempt ${job.attemptsMade + 1} failed: ${message}`))
        .catch(() => undefined);
      throw error;
    }
  }

  /**
   * A job BullMQ gives up on without our handler deciding it (it stalled again and again: the
   * worker kept dying) must not leave its import `running` for ever.
   */
  @OnWorkerEvent('failed')
  @CreateRequestContext()
  async onFailed(job: Job<CsvImportJob> | undefined, error: Error): Promise<void> {
    // BullMQ reports every failed attempt; only a job it will not retry ends the import.
    if (!job || (await job.getState().catch(() => 'unknown')) !== 'failed') return;
    await this.imports.fail(job.data.importId, error.message).catch((e: Error) => this.logger.error(`import ${job.data.importId}: ${e.message}`));
  }

  /** Uploads are deleted once their import is final; the starter catalogue (outside uploads/) never is. */
  private async removeUpload(filePath: string): Promise<void> {
    const inside = relative(resolve(join(this.env.DATA_DIR, 'uploads')), resolve(filePath));
    if (inside.startsWith('..') || isAbsolute(inside)) return;
    await rm(filePath, { force: true }).catch(() => undefined);
  }

  private async run(row: Import): Promise<MoviesImportedEvent> {
    const size = await fileSize(row.filePath);
    await this.imports.start(row.id, size ?? 0);
    if (size === undefined) throw new ImportFailure(`the file ${row.filePath} does not exist`);
    const startedAt = Date.now();
    const load = await openCatalogueLoad(this.env.DATABASE_URL, row.id);
    try {
      const outcome = await this.stage(row.id, row.filePath, load);
      if (row.mode === 'replace' && outcome.rowsDone === outcome.rejected) {
        throw new ImportFailure('refusing to replace the catalogue with a file that has no valid rows');
      }
      const staged = Date.now();
      const counts = await load.commit(row.mode, { ...outcome, bytesDone: size });
      this.logger.log(`import ${row.id} (${load.route}): ${outcome.rowsDone} rows read and staged in ${staged - startedAt} ms, merged in ${Date.now() - staged} ms`);
      return { importId: row.id, mode: row.mode, inserted: counts.inserted, updated: counts.updated, deleted: counts.deleted };
    } finally {
      await load.close();
    }
  }

  /** Streams the file into the load; holds one read's rows, one batch in flight and the first rejected rows in memory. */
  private async stage(importId: string, filePath: string, load: CatalogueLoad): Promise<ImportOutcome> {
    let validator: RowValidator | undefined;
    const errors: ImportRowError[] = [];
    const outcome: ImportOutcome = { rowsDone: 0, bytesDone: 0, rejected: 0, errors, unknownColumns: [] };
    // The first read is reported at once, so progress shows as soon as rows have landed.
    let reportedAt = 0;

    for await (const items of readCsv(filePath)) {
      for (const item of items) {
        if (item.kind === 'header') {
          const resolved = resolveLayout(item.fields);
          if (!resolved.ok) throw new ImportFailure(resolved.reason);
          validator = new RowValidator(resolved.value);
          outcome.unknownColumns = resolved.value.unknownColumns;
          continue;
        }
        if (!validator) throw new ImportFailure('the file has no header row');
        outcome.rowsDone++;
        outcome.bytesDone = item.offset;
        const checked = item.unclosedQuote ? UNCLOSED_QUOTE : validator.check(item.fields);
        if (checked.ok) {
          load.addMovie(checked.value, item.line);
        } else {
          outcome.rejected++;
          const rejection = { line: item.line, reason: checked.reason };
          if (errors.length < KEPT_ERRORS) errors.push(rejection);
          load.addRejection(rejection);
        }
      }
      await load.send();
      if (Date.now() - reportedAt >= PROGRESS_EVERY_MS) {
        reportedAt = Date.now();
        await this.imports.progress(importId, outcome.bytesDone, outcome.rowsDone, outcome.rejected);
      }
    }
    if (!validator) throw new ImportFailure('the file is empty: a header row with "title" and "year" is required');
    return outcome;
  }

  /**
   * Searches choose between walking a sort index and gathering every match from the planner's
   * row estimates, the gateway reports estimated totals from them, and the walks stay
   * index-only only where the visibility map says the pages are all-visible: after an import
   * changed the catalogue, statistics and map must describe the new one now, not when
   * autovacuum gets to it. Best effort, after the event, so the new rows are served meanwhile.
   */
  private async refreshStatistics(importId: string): Promise<void> {
    try {
      await this.orm.em.getConnection().execute('vacuum (analyze) movies');
    } catch (error) {
      this.logger.warn(`import ${importId}: could not vacuum and analyze movies: ${(error as Error).message}`);
    }
  }

  /** Best effort: the catalogue is already committed, and a missed event only delays cache expiry. */
  private async announce(event: MoviesImportedEvent): Promise<void> {
    try {
      await lastValueFrom(this.bus.emit(INGESTION_EVENTS.moviesImported, event).pipe(timeout(5000)), { defaultValue: undefined });
    } catch (error) {
      this.logger.warn(`import ${event.importId}: could not emit ${INGESTION_EVENTS.moviesImported}: ${(error as Error).message}`);
    }
  }
}

/** undefined when there is no such file; other errors (permissions, I/O) may be transient. */
async function fileSize(filePath: string): Promise<number | undefined> {
  try {
    const info = await stat(filePath);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function toEvent(row: Import): MoviesImportedEvent {
  return { importId: row.id, mode: row.mode, inserted: row.inserted, updated: row.updated, deleted: row.deleted };
}
