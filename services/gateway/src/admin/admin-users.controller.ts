import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MARQUEE_BUS, rpc } from '@marquee/common';
import { CountByOwnerRequest, ListUsersRequest, OWNED_KEYS_PATTERNS, Page, USER_PATTERNS, UserView } from '@marquee/contracts';
import { Answer } from '../docs/api-responses';
import { DEVELOPER_EXAMPLES as D, PROBLEM_EXAMPLES as P } from '../docs/examples';
import { AdminAuthGuard } from './admin-auth.guard';
import { ListUsersQuery } from './admin-users.dto';

export type AdminUserView = UserView & { key_count: number };

/** Developers for the admin portal: identity's users with the live key count from keys. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/api/users')
export class AdminUsersController {
  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy) {}

  @Get()
  @Answer(200, 'Developers with verification state and key count', D.users)
  @Answer(400, 'A malformed filter', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  async list(@Query() query: ListUsersQuery): Promise<Page<AdminUserView>> {
    const users = await rpc<Page<UserView>, ListUsersRequest>(this.bus, USER_PATTERNS.list, { ...query });
    const counts = await rpc<Record<string, number>, CountByOwnerRequest>(this.bus, OWNED_KEYS_PATTERNS.countByOwner, { ownerIds: users.data.map((u) => u.id) });
    return { data: users.data.map((u) => ({ ...u, key_count: counts[u.id] ?? 0 })), meta: users.meta };
  }
}
