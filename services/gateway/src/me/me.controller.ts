import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { badRequest, requireUuid } from '@marquee/common';
import { GatewayEnv } from '../config/gateway.env';
import { Answer, JsonBodyAnswers } from '../docs/api-responses';
import { DEVELOPER_EXAMPLES as D, DEVELOPER_PROBLEMS as P, PROBLEM_EXAMPLES as PE } from '../docs/examples';
import { DeveloperAuthGuard } from '../developer/developer-auth.guard';
import type { DeveloperRequest } from '../developer/developer-sessions';
import { IdentityClient } from '../auth/identity-client';
import { DeveloperKeysClient } from './developer-keys-client';
import { requireReachablePage } from '../validation/reachable-page';
import { CreateOwnKeyBody, LogsQuery, StatsQuery, UsageQuery } from './me.dto';

const DAY_MS = 86_400_000;
const MAX_USAGE_DAYS = 366;

/** Developer self-service. The owner of every call is the signed-in developer, never a parameter. */
@ApiTags('me')
@ApiBearerAuth()
@UseGuards(DeveloperAuthGuard)
@Controller('me')
export class MeController {
  constructor(private readonly identity: IdentityClient, private readonly keys: DeveloperKeysClient, private readonly env: GatewayEnv) {}

  @Get()
  @Answer(200, 'Your profile', D.profile)
  @Answer(401, 'Not signed in', P.developerUnauthorized)
  profile(@Req() request: DeveloperRequest) {
    return this.identity.profile(ownerOf(request));
  }

  @Get('keys')
  @Answer(200, 'Your keys (never the raw value)', D.keys)
  @Answer(401, 'Not signed in', P.developerUnauthorized)
  listKeys(@Req() request: DeveloperRequest) {
    return this.keys.list(ownerOf(request));
  }

  @Post('keys')
  @Answer(201, 'The new key; `key` is the raw value, shown this once', D.createdKey)
  @Answer(401, 'Not signed in', P.developerUnauthorized)
  @Answer(403, 'Portal session without a valid CSRF token', P.csrf)
  @Answer(409, "You already have your plan's maximum number of keys", PE.keyLimit)
  @Answer(422, 'A missing or invalid name', PE.invalidFields)
  @JsonBodyAnswers()
  async createKey(@Req() request: DeveloperRequest, @Body() body: CreateOwnKeyBody) {
    const me = await this.identity.profile(ownerOf(request));
    return this.keys.create({ ownerId: me.id, ownerEmail: me.email, name: body.name });
  }

  @Post('keys/:id/rotate')
  @HttpCode(200)
  @Answer(200, 'The key with a new raw value, shown this once; the old value stops working', D.createdKey)
  @Answer(404, 'You have no key with this id', P.ownKeyNotFound)
  rotateKey(@Req() request: DeveloperRequest, @Param('id') id: string) {
    return this.keys.rotate(ownerOf(request), requireUuid(id, 'a key id'));
  }

  @Delete('keys/:id')
  @HttpCode(204)
  @Answer(204, 'Deleted: the key is refused from its next call on', {})
  @Answer(404, 'You have no key with this id', P.ownKeyNotFound)
  async deleteKey(@Req() request: DeveloperRequest, @Param('id') id: string): Promise<void> {
    await this.keys.remove(ownerOf(request), requireUuid(id, 'a key id'));
  }

  @Get('usage')
  @Answer(200, 'Requests and errors per day (UTC) over your keys', D.usage)
  @Answer(400, 'A malformed or too long range', PE.badParameter)
  usage(@Req() request: DeveloperRequest, @Query() query: UsageQuery) {
    const to = query.to ?? new Date().toISOString().slice(0, 10);
    const from = query.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
    const span = (Date.parse(to) - Date.parse(from)) / DAY_MS;
    if (Number.isNaN(span)) throw badRequest('INVALID_PARAMETER', 'from and to must be real dates');
    if (span < 0) throw badRequest('INVALID_PARAMETER', 'from must not be after to');
    if (span >= MAX_USAGE_DAYS) throw badRequest('INVALID_PARAMETER', `the range must be at most ${MAX_USAGE_DAYS} days`);
    return this.keys.usage(ownerOf(request), from, to);
  }

  @Get('logs')
  @Answer(200, 'Your most recent requests first', D.logs)
  @Answer(400, 'A malformed page or limit, or a page past MAX_OFFSET', PE.badParameter)
  logs(@Req() request: DeveloperRequest, @Query() query: LogsQuery) {
    requireReachablePage(query.page, query.limit, this.env.MAX_OFFSET, 'GET /me/usage counts your calls over longer ranges');
    return this.keys.logs(ownerOf(request), query.page, query.limit);
  }

  @Get('stats')
  @Answer(200, 'Totals, errors and p95 latency (within 5 %) per key over the last `days` days', D.stats)
  @Answer(400, 'days outside 1-365', P.badDays)
  stats(@Req() request: DeveloperRequest, @Query() query: StatsQuery) {
    return this.keys.stats(ownerOf(request), query.days);
  }
}

function ownerOf(request: DeveloperRequest): string {
  return request.developer!.sub;
}
