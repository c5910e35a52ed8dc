import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { CSV_IMPORT_JOB, CSV_IMPORT_QUEUE, CsvImportJob } from '@marquee/contracts';
import { runSql } from '@marquee/database';
import { IngestionEnv } from '../config/ingestion.env';
import { CSV_IMPORT_JOB_OPTIONS } from './imports.service';

/**
 * BullMQ ignores an add whose job id exists, so replicas that claimed the same import row queue
 * one job. The id names the import row, so a job left in Redis by an earlier database never
 * swallows the add.
 */
export const starterJobId = (importId: string) => `starter-catalogue-${importId}`;

/**
 * On a fresh install (no movies, no import ever) imports the starter CSV through the normal
 * import path. The check-and-insert runs under an advisory lock so replicas starting together
 * create one import row.
 */
@Injectable()
export class StarterCatalogue implements OnApplicationBootstrap {
  private readonly logger = new Logger(StarterCatalogue.name);

  constructor(
    private readonly em: EntityManager,
    private readonly env: IngestionEnv,
    @InjectQueue(CSV_IMPORT_QUEUE) private readonly queue: Queue<CsvImportJob>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const filePath = resolve(this.env.STARTER_CATALOGUE);
    const size = await stat(filePath).then((s) => (s.isFile() ? s.size : undefined), () => undefined);
    if (size === undefined) {
      this.logger.warn(`starter catalogue ${filePath} not found; not importing it`);
      return;
    }
    const importId = await this.claim(filePath, size);
    if (!importId) return;
    await this.queue.add(CSV_IMPORT_JOB, { importId }, { ...CSV_IMPORT_JOB_OPTIONS, jobId: starterJobId(importId) });
    this.logger.log(`catalogue is empty: importing the starter catalogue ${filePath} (import ${importId})`);
  }

  /**
   * The id of the starter import to queue, or undefined when there is nothing to do. A starter
   * row still `queued` is returned again: its replica may have died before queueing the job.
   */
  private async claim(filePath: string, size: number): Promise<string | undefined> {
    return this.em.fork().transactional(async (em) => {
      await runSql(em, `select pg_advisory_xact_lock(hashtext('marquee.starter-catalogue'))`);
      const [movies] = await runSql<{ any: boolean }[]>(em, 'select exists (select 1 from movies) as any');
      if (movies.any) return undefined;
      const existing = await runSql<{ id: string; status: string; created_by: string }[]>(em,
        'select id, status, created_by from imports order by created_at limit 2');
      if (existing.length === 0) {
        const [created] = await runSql<{ id: string }[]>(em,
          `insert into imports (file_name, file_path, mode, created_by, bytes_total) values (?, ?, 'merge', 'system', ?) returning id`,
          [basename(filePath), filePath, size]);
        return created.id;
      }
      const [only] = existing;
      return existing.length === 1 && only.created_by === 'system' && only.status === 'queued' ? only.id : undefined;
    });
  }
}
