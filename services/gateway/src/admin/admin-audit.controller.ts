import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MARQUEE_BUS, rpc } from '@marquee/common';
import { AuditEntryView, IDENTITY_AUDIT_PATTERNS, ListAuditRequest, Page } from '@marquee/contracts';
import { Answer } from '../docs/api-responses';
import { PROBLEM_EXAMPLES as P } from '../docs/examples';
import { AdminAuthGuard } from './admin-auth.guard';
import { AuditQuery } from './admin-reports.dto';

/** The admin audit trail, kept by identity. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/api/audit')
export class AdminAuditController {
  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy) {}

  @Get()
  @Answer(200, 'Who did what, when, to which key or import; newest first by default', {
    data: [{
      id: '5b0d8a4e-0f7a-4a3e-a0c2-7b1f0d6e9c21', actor_id: 'c1d2e3f4-0000-4000-8000-000000000001', actor_name: 'admin', action: 'key.suspend',
      target_type: 'key', target_id: '6f1c1f55-8a4e-4e0e-9f5e-0b9e2a1d7c11', detail: { prefix: '3b9d2c4e', name: 'Production', owner_email: 'dev@gmail.com', plan: 'free' },
      ip: '203.0.113.7', created_at: '2026-11-22T09:20:00.000Z',
    }],
    meta: { page: 1, limit: 20, total: 1, total_pages: 1 },
  })
  @Answer(400, 'A malformed filter', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  list(@Query() query: AuditQuery): Promise<Page<AuditEntryView>> {
    return rpc<Page<AuditEntryView>, ListAuditRequest>(this.bus, IDENTITY_AUDIT_PATTERNS.list, {
      q: query.q, action: query.action, targetId: query.target_id, from: query.from, to: query.to, sort: query.sort, page: query.page, limit: query.limit,
    });
  }
}
