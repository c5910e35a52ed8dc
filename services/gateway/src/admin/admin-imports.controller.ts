import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, MARQUEE_BUS, requireUuid, rpc } from '@marquee/common';
import {
  CreateImportRequest, ImportDetailView, ImportIdRequest, ImportMode, ImportReportRequest, ImportRowErrorView, ImportView,
  INGESTION_PATTERNS, ListImportsRequest, Page,
} from '@marquee/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { Answer } from '../docs/api-responses';
import { PROBLEM_EXAMPLES as P } from '../docs/examples';
import { Audited, AuditInterceptor } from './admin-audit';
import { AdminAuthGuard, AdminRequest } from './admin-auth.guard';
import { IMPORT_MODES, ListImportsQuery } from './admin-imports.dto';
import { csvRows, keysetPages } from './csv-writer';
import { receiveUpload } from './upload';
import { TakesMultipart } from '../validation/json-only';

const REPORT_PAGE = 5000;

export const IMPORT_EXAMPLE: ImportDetailView = {
  id: '0b6f7e0e-4c3a-4a51-9d55-2f7d3c1e9a10', file_name: 'movies-2026-11.csv', mode: 'merge', status: 'running',
  created_by: 'admin', created_at: '2026-11-22T10:00:00.000Z', started_at: '2026-11-22T10:00:00.120Z', finished_at: null,
  attempts: 1, failure: null,
  progress: { bytes_done: 52_428_800, bytes_total: 104_857_600, rows_done: 500_000, rows_total: 1_000_000, rows_total_estimated: true, percent: 50 },
  counts: { rows: 500_000, inserted: 0, updated: 0, unchanged: 0, duplicates: 0, rejected: 12, deleted: 0 },
  unknown_columns: ['imdb_id'],
  errors: [{ line: 7, reason: 'year must be a whole number from 1870 to 2031, got "19x9"' }],
};

/** Catalogue imports: the upload is streamed to the shared uploads folder; ingestion does the rest. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@UseInterceptors(AuditInterceptor)
@Controller('admin/api/imports')
export class AdminImportsController {
  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy, private readonly env: GatewayEnv) {}

  @Post()
  @HttpCode(202)
  @TakesMultipart()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, mode: { type: 'string', enum: IMPORT_MODES, default: 'merge' } } } })
  @Audited({ action: 'import.create', target: 'import', detail: (r: ImportView) => ({ file_name: r.file_name, mode: r.mode }) })
  @Answer(202, 'Queued: poll GET /admin/api/imports/{id} for progress', { ...IMPORT_EXAMPLE, status: 'queued', errors: [] })
  @Answer(400, 'Not CSV text, or a header without title or year', P.missingColumn)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  @Answer(413, 'Larger than UPLOAD_MAX_BYTES', P.tooLarge)
  @Answer(415, 'Not a multipart/form-data request', P.notMultipart)
  @Answer(422, 'No file part, or a mode other than merge or replace', P.invalidFields)
  async create(@Req() request: AdminRequest): Promise<ImportView> {
    const upload = await receiveUpload(request, join(this.env.DATA_DIR, 'uploads'), this.env.UPLOAD_MAX_BYTES);
    try {
      const mode = (upload.fields.mode ?? 'merge').trim() as ImportMode;
      if (!IMPORT_MODES.includes(mode)) throw new DomainError('INVALID_FIELDS', 422, `mode must be merge or replace; "${mode.slice(0, 40)}" is not`);
      return await rpc<ImportView, CreateImportRequest>(this.bus, INGESTION_PATTERNS.createImport, {
        filePath: upload.filePath, fileName: upload.fileName, mode, createdBy: request.admin!.name,
      });
    } catch (error) {
      // Refused (or never recorded): nothing will ever read the file.
      await rm(upload.filePath, { force: true });
      throw error;
    }
  }

  @Get()
  @Answer(200, 'Imports, newest first by default', { data: [IMPORT_EXAMPLE], meta: { page: 1, limit: 20, total: 1, total_pages: 1 } })
  @Answer(400, 'A malformed filter', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  list(@Query() query: ListImportsQuery): Promise<Page<ImportView>> {
    return rpc<Page<ImportView>, ListImportsRequest>(this.bus, INGESTION_PATTERNS.listImports, { ...query });
  }

  @Get(':id')
  @Answer(200, 'Status, progress, counts and the first 1,000 rejected rows', IMPORT_EXAMPLE)
  @Answer(404, 'No such import', P.importNotFound)
  get(@Param('id') id: string): Promise<ImportDetailView> {
    requireUuid(id, 'an import id');
    return rpc<ImportDetailView, ImportIdRequest>(this.bus, INGESTION_PATTERNS.getImport, { id });
  }

  @Get(':id/report.csv')
  @ApiProduces('text/csv')
  @Answer(200, 'Every rejected row: line and reason', 'line,reason\r\n7,"year must be a whole number from 1870 to 2031, got ""19x9"""\r\n')
  @Answer(404, 'No such import', P.importNotFound)
  async report(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Readable> {
    requireUuid(id, 'an import id');
    await rpc<ImportDetailView, ImportIdRequest>(this.bus, INGESTION_PATTERNS.getImport, { id });
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${id}-rejected.csv"`);
    const pages = keysetPages(REPORT_PAGE,
      (afterLine: number | undefined) => rpc<ImportRowErrorView[], ImportReportRequest>(this.bus, INGESTION_PATTERNS.importReport, { id, afterLine: afterLine ?? 0, limit: REPORT_PAGE }),
      (r: ImportRowErrorView) => r.line);
    return Readable.from(csvRows(['line', 'reason'], pages, (r) => [r.line, r.reason]));
  }
}

