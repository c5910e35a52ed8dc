import { Readable } from 'node:stream';
import { Controller, Get, Inject, Query, Res, UseGuards } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MARQUEE_BUS, rpc } from '@marquee/common';
import { KEYS_ANALYTICS_PATTERNS, ListLogsRequest, LogPage, UsageLogView } from '@marquee/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { Answer } from '../docs/api-responses';
import { PROBLEM_EXAMPLES as P } from '../docs/examples';
import { AdminAuthGuard } from './admin-auth.guard';
import { LogsQuery } from './admin-reports.dto';
import { csvRows, keysetPages } from './csv-writer';
import { requireReachablePage } from '../validation/reachable-page';

const EXPORT_PAGE = 5000;
/** Above every request id: the export's first page starts below it. */
const ABOVE_EVERY_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const EXPORT_HEADER = ['timestamp', 'method', 'endpoint', 'status', 'latency_ms', 'counted', 'key_id', 'key_prefix', 'key_name', 'owner_email'];

const LOG_EXAMPLE: UsageLogView = {
  id: '019ab2c4-5e71-7a3c-9d4e-2b8f61c0a9e5', timestamp: '2026-11-22T09:14:03.120Z', method: 'GET', endpoint: '/movies/42', status: 200, latency_ms: 1.8, counted: true,
  key_id: '6f1c1f55-8a4e-4e0e-9f5e-0b9e2a1d7c11', key_prefix: '3b9d2c4e', key_name: 'Production', owner_email: 'dev@gmail.com',
};

function toRequest(query: LogsQuery): ListLogsRequest {
  const status = query.status?.toLowerCase();
  return {
    keyId: query.key_id, q: query.q, endpoint: query.endpoint, method: query.method,
    status: status && !status.endsWith('xx') ? Number(status) : undefined,
    statusClass: status?.endsWith('xx') ? Number(status[0]) : undefined,
    from: query.from, to: query.to, sort: query.sort, page: query.page, limit: query.limit,
  };
}

/** Request logs, read by keys from usage_logs (filters, sort, paging, CSV export). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/api/logs')
export class AdminLogsController {
  constructor(
    @Inject(MARQUEE_BUS) private readonly bus: ClientProxy,
    private readonly env: GatewayEnv,
  ) {}

  @Get()
  @Answer(200, 'Request logs, newest first by default; totals past 10,000 are flagged total_estimated', {
    data: [LOG_EXAMPLE], meta: { page: 1, limit: 20, total: 1, total_pages: 1, total_estimated: false },
  })
  @Answer(400, 'A malformed filter, or a page past MAX_OFFSET', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  list(@Query() query: LogsQuery): Promise<LogPage> {
    requireReachablePage(query.page, query.limit, this.env.MAX_OFFSET, 'narrow the filter (from, to, key_id) or export the rows as CSV');
    return rpc<LogPage, ListLogsRequest>(this.bus, KEYS_ANALYTICS_PATTERNS.logs, toRequest(query));
  }

  @Get('export.csv')
  @ApiProduces('text/csv')
  @Answer(200, 'Every matching log row as CSV, newest first', `${EXPORT_HEADER.join(',')}\r\n2026-11-22T09:14:03.120Z,GET,/movies/42,200,1.8,true,6f1c1f55-8a4e-4e0e-9f5e-0b9e2a1d7c11,3b9d2c4e,Production,dev@gmail.com\r\n`)
  @Answer(400, 'A malformed filter', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  export(@Query() query: LogsQuery, @Res({ passthrough: true }) reply: FastifyReply): Readable {
    const request = { ...toRequest(query), page: 1, limit: EXPORT_PAGE };
    const pages = keysetPages(EXPORT_PAGE,
      async (beforeId: string | undefined) => (await rpc<LogPage, ListLogsRequest>(this.bus, KEYS_ANALYTICS_PATTERNS.logs, { ...request, beforeId: beforeId ?? ABOVE_EVERY_ID })).data,
      (r: UsageLogView) => r.id);
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="request-logs.csv"');
    return Readable.from(csvRows(EXPORT_HEADER, pages, (r) => [r.timestamp, r.method, r.endpoint, r.status, r.latency_ms, r.counted, r.key_id, r.key_prefix, r.key_name, r.owner_email]));
  }
}
