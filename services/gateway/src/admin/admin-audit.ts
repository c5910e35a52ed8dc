import { randomUUID } from 'node:crypto';
import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClientProxy } from '@nestjs/microservices';
import { mergeMap, Observable } from 'rxjs';
import { MARQUEE_BUS, rpc } from '@marquee/common';
import { AccessTokenClaims, AuditAction, AuditTargetType, IDENTITY_AUDIT_PATTERNS, RecordAuditRequest } from '@marquee/contracts';
import type { AdminRequest } from './admin-auth.guard';

interface AuditSpec {
  action: AuditAction;
  target: AuditTargetType;
  /** What to keep of the answer besides its id (never a raw key). */
  detail?: (result: any, request: AdminRequest) => Record<string, unknown>;
}

const AUDIT = 'marquee:audit';

/** Marks an admin handler whose successful calls go into the audit trail. */
export const Audited = (spec: AuditSpec) => SetMetadata(AUDIT, spec);

/** Writes audit entries to identity (one id per action, so a retried RPC records it once). */
@Injectable()
export class AdminAudit {
  private readonly logger = new Logger(AdminAudit.name);

  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy) {}

  /**
   * The action has already happened when this runs, so a failure to record it is logged loudly
   * rather than turned into an error answer for an action that did take effect.
   */
  async record(admin: AccessTokenClaims, ip: string, action: AuditAction, targetType: AuditTargetType | null, targetId: string | null, detail: Record<string, unknown> = {}): Promise<void> {
    const entry: RecordAuditRequest = { id: randomUUID(), actorId: admin.sub, actorName: admin.name, action, targetType, targetId, detail, ip };
    try {
      await rpc(this.bus, IDENTITY_AUDIT_PATTERNS.record, entry);
    } catch (error) {
      this.logger.error(`audit entry not recorded: ${JSON.stringify(entry)}: ${(error as Error).message}`);
    }
  }
}

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector, private readonly audit: AdminAudit) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDIT, context.getHandler());
    if (!spec) return next.handle();
    const request = context.switchToHttp().getRequest<AdminRequest & { params: Record<string, string> }>();
    return next.handle().pipe(mergeMap(async (result: any) => {
      const targetId = request.params?.id ?? (typeof result?.id === 'string' ? result.id : null);
      await this.audit.record(request.admin!, request.ip, spec.action, spec.target, targetId, spec.detail?.(result, request) ?? {});
      return result;
    }));
  }
}
