import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuditEntryView, IDENTITY_AUDIT_PATTERNS, ListAuditRequest, Page, RecordAuditRequest } from '@marquee/contracts';
import { AuditRepository } from './audit.repository';

@Controller()
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @MessagePattern(IDENTITY_AUDIT_PATTERNS.record)
  async record(@Payload() entry: RecordAuditRequest): Promise<{ ok: true }> {
    await this.audit.record(entry);
    return { ok: true };
  }

  @MessagePattern(IDENTITY_AUDIT_PATTERNS.list)
  async list(@Payload() query: ListAuditRequest): Promise<Page<AuditEntryView>> {
    const [data, total] = await this.audit.list(query);
    return { data, meta: { page: query.page, limit: query.limit, total, total_pages: Math.ceil(total / query.limit) } };
  }
}
