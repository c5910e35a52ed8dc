import { stat } from 'node:fs/promises';
import { CreateRequestContext, MikroORM } from '@mikro-orm/postgresql';
import { InjectRepository } from '@mikro-orm/nestjs';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { CSV_IMPORT_JOB, CSV_IMPORT_QUEUE, CsvImportJob, ImportMode } from '@marquee/contracts';
import { Import } from './import.entity';
import { ImportRepository } from './import.repository';

/** Retries cover a killed worker or a database blip; a bad file fails at once (UnrecoverableError). */
export const CSV_IMPORT_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

@Injectable()
export class ImportsService {
  constructor(
    private readonly orm: MikroORM,
    @InjectRepository(Import) private readonly imports: ImportRepository,
    @InjectQueue(CSV_IMPORT_QUEUE) private readonly queue: Queue<CsvImportJob>,
  ) {}

  /** Records the import and queues it under its own id, so queueing it twice runs it once. */
  @CreateRequestContext()
  async enqueue(filePath: string, fileName: string, mode: ImportMode, createdBy: string): Promise<Import> {
    const bytesTotal = await stat(filePath).then((s) => s.size, () => 0);
    const row = await this.imports.createQueued({ filePath, fileName, mode, createdBy, bytesTotal });
    try {
      await this.queue.add(CSV_IMPORT_JOB, { importId: row.id }, { ...CSV_IMPORT_JOB_OPTIONS, jobId: row.id });
    } catch (error) {
      await this.imports.fail(row.id, `could not queue the import: ${(error as Error).message}`);
      throw error;
    }
    return row;
  }
}
