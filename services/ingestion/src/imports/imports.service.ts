import { stat } from 'node:fs/promises';
import { CreateRequestContext, MikroORM } from '@mikro-orm/postgresql';
import { InjectRepository } from '@mikro-orm/nestjs';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { DomainError, notFound } from '@marquee/common';
import {
  CSV_IMPORT_JOB, CSV_IMPORT_QUEUE, CreateImportRequest, CsvImportJob, ImportDetailView, ImportMode, ImportReportRequest,
  ImportRowErrorView, ImportView, ListImportsRequest, Page,
} from '@marquee/contracts';
import { inspectCsv } from './csv-inspect';
import { Import } from './import.entity';
import { ImportRepository } from './import.repository';
import { toImportDetailView, toImportView } from './import.view';

const MAX_REPORT_PAGE = 10_000;

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

  /** An uploaded file: refused at once (400) when it cannot be imported at all, else queued. */
  async create(request: CreateImportRequest): Promise<ImportView> {
    const inspection = await inspectCsv(request.filePath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new DomainError('IMPORTS.FILE_MISSING', 400, 'the uploaded file is not in the uploads folder the ingestion service reads');
      throw error;
    });
    if (!inspection.ok) throw new DomainError(inspection.code, 400, inspection.reason);
    const row = await this.enqueue(request.filePath, request.fileName, request.mode, request.createdBy);
    return this.get(row.id);
  }

  @CreateRequestContext()
  async list(query: ListImportsRequest): Promise<Page<ImportView>> {
    const [rows, total] = await this.imports.list(query);
    return { data: rows.map(toImportView), meta: { page: query.page, limit: query.limit, total, total_pages: Math.ceil(total / query.limit) } };
  }

  @CreateRequestContext()
  async get(id: string): Promise<ImportDetailView> {
    const row = await this.imports.findRecord(id);
    if (!row) throw notFound('IMPORTS.NOT_FOUND', `no import with id ${id}`);
    return toImportDetailView(row);
  }

  @CreateRequestContext()
  async report(request: ImportReportRequest): Promise<ImportRowErrorView[]> {
    return this.imports.rejections(request.id, request.afterLine, Math.min(request.limit, MAX_REPORT_PAGE));
  }

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
