import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';

/** The admin audit trail (table admin_audit): written and read by the gateway over RPC. */
@Module({ controllers: [AuditController], providers: [AuditRepository] })
export class AuditModule {}
