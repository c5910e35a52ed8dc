import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { MARQUEE_BUS, requireUuid, rpc } from '@marquee/common';
import {
  ApiKeyView, ChangePlanRequest, CreateKeyRequest, CreatedApiKey, KEYS_PATTERNS, KeyIdRequest, ListKeysRequest, Page,
} from '@marquee/contracts';
import { Answer, JsonBodyAnswers } from '../docs/api-responses';
import { PROBLEM_EXAMPLES as P } from '../docs/examples';
import { Audited, AuditInterceptor } from './admin-audit';
import { AdminAuthGuard } from './admin-auth.guard';
import { ApiValidationPipe } from '../validation/validation.pipe';
import { ChangePlanBody, CreateKeyBody, ListKeysQuery } from './admin-keys.dto';

const KEY_EXAMPLE: ApiKeyView = {
  id: '6f1c1f55-8a4e-4e0e-9f5e-0b9e2a1d7c11', name: 'Production', prefix: '3b9d2c4e', owner_id: null,
  owner_email: 'dev@gmail.com', plan: 'free', status: 'active', usage_count: 112, quota: 1000, rate_limit_per_minute: 60,
  usage_resets_at: '2026-12-01T00:00:00.000Z', created_at: '2026-11-02T09:14:00.000Z', expires_at: null, last_used_at: '2026-11-21T18:03:11.000Z',
};
/** For a body checked by hand, after the path: the same checks and messages as every other body. */
const bodies = new ApiValidationPipe();

/** Admin key management: thin; the keys service holds the rules and refreshes the hot-path cache. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@UseInterceptors(AuditInterceptor)
@Controller('admin/api/keys')
export class AdminKeysController {
  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy) {}

  @Get()
  @Answer(200, 'Keys with owner, plan, status and usage', { data: [KEY_EXAMPLE], meta: { page: 1, limit: 20, total: 1, total_pages: 1 } })
  @Answer(400, 'A malformed filter', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  list(@Query() query: ListKeysQuery): Promise<Page<ApiKeyView>> {
    return rpc<Page<ApiKeyView>, ListKeysRequest>(this.bus, KEYS_PATTERNS.list, { ...query });
  }

  @Post()
  @Audited({ action: 'key.create', target: 'key', detail: (k: ApiKeyView) => ({ prefix: k.prefix, name: k.name, owner_email: k.owner_email, plan: k.plan }) })
  @Answer(201, 'The new key; `key` is the raw value, shown this once', { ...KEY_EXAMPLE, usage_count: 0, last_used_at: null, key: '3b9d2c4e-7f1a-4c2b-9e8d-5a6b7c8d9e0f' })
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  @Answer(409, "The owner already has the plan's maximum number of keys", P.keyLimit)
  @Answer(422, 'A missing or invalid field', P.invalidFields)
  @JsonBodyAnswers()
  create(@Body() body: CreateKeyBody): Promise<CreatedApiKey> {
    // The keys service makes a key for a registered developer's address theirs (KeyOwners there).
    return rpc<CreatedApiKey, CreateKeyRequest>(this.bus, KEYS_PATTERNS.create, {
      ownerEmail: body.owner_email, name: body.name, plan: body.plan,
    });
  }

  @Get(':id')
  @Answer(200, 'One key', KEY_EXAMPLE)
  @Answer(404, 'No such key', P.keyNotFound)
  get(@Param('id') id: string) {
    return this.byId(KEYS_PATTERNS.get, id);
  }

  @Post(':id/suspend')
  @Audited({ action: 'key.suspend', target: 'key', detail: (k: ApiKeyView) => ({ prefix: k.prefix, name: k.name, owner_email: k.owner_email, plan: k.plan }) })
  @HttpCode(200)
  @Answer(200, 'The key, now suspended: its next call gets 403', { ...KEY_EXAMPLE, status: 'suspended' })
  @Answer(404, 'No such key', P.keyNotFound)
  suspend(@Param('id') id: string) {
    return this.byId(KEYS_PATTERNS.suspend, id);
  }

  @Post(':id/resume')
  @Audited({ action: 'key.resume', target: 'key', detail: (k: ApiKeyView) => ({ prefix: k.prefix, name: k.name, owner_email: k.owner_email, plan: k.plan }) })
  @HttpCode(200)
  @Answer(200, 'The key, active again', KEY_EXAMPLE)
  @Answer(404, 'No such key', P.keyNotFound)
  resume(@Param('id') id: string) {
    return this.byId(KEYS_PATTERNS.resume, id);
  }

  @Post(':id/reset-usage')
  @Audited({ action: 'key.reset-usage', target: 'key', detail: (k: ApiKeyView) => ({ prefix: k.prefix, name: k.name, owner_email: k.owner_email, plan: k.plan }) })
  @HttpCode(200)
  @Answer(200, "The key with this month's usage back at 0", { ...KEY_EXAMPLE, usage_count: 0 })
  @Answer(404, 'No such key', P.keyNotFound)
  resetUsage(@Param('id') id: string) {
    return this.byId(KEYS_PATTERNS.resetUsage, id);
  }

  @Patch(':id')
  @Audited({ action: 'key.change-plan', target: 'key', detail: (k: ApiKeyView) => ({ prefix: k.prefix, name: k.name, owner_email: k.owner_email, plan: k.plan }) })
  @ApiBody({ type: ChangePlanBody })
  @Answer(200, 'The key on its new plan', { ...KEY_EXAMPLE, plan: 'pro', quota: 100000, rate_limit_per_minute: 600 })
  @Answer(400, 'An id that is not a UUID', P.badParameter)
  @Answer(404, 'No such key', P.keyNotFound)
  @Answer(409, "The owner has more keys than the new plan's maximum", P.planKeyLimit)
  @Answer(422, 'A missing, malformed or unknown plan', P.invalidFields)
  @JsonBodyAnswers()
  async changePlan(@Param('id') id: string, @Req() request: FastifyRequest) {
    // In the order a caller fixes them: which key (400, 404), then what to change (422).
    await this.byId(KEYS_PATTERNS.get, id);
    const body = (await bodies.transform(request.body, { type: 'body', metatype: ChangePlanBody })) as ChangePlanBody;
    return rpc<ApiKeyView, ChangePlanRequest>(this.bus, KEYS_PATTERNS.changePlan, { id, plan: body.plan });
  }

  @Delete(':id')
  @Audited({ action: 'key.delete', target: 'key', detail: (k: ApiKeyView) => ({ prefix: k.prefix, name: k.name, owner_email: k.owner_email, plan: k.plan }) })
  @Answer(200, 'The key, now deleted: its next call gets 401', { ...KEY_EXAMPLE, status: 'deleted' })
  @Answer(404, 'No such key', P.keyNotFound)
  remove(@Param('id') id: string) {
    return this.byId(KEYS_PATTERNS.remove, id);
  }

  private byId(pattern: string, id: string): Promise<ApiKeyView> {
    requireUuid(id, 'a key id');
    return rpc<ApiKeyView, KeyIdRequest>(this.bus, pattern, { id });
  }
}
