import { Injectable } from '@nestjs/common';
import { isUuid, notFound } from '@marquee/common';
import type { ListUsersRequest, Page, UserView } from '@marquee/contracts';
import { UserRepository } from './user.repository';


@Injectable()
export class UsersService {
  constructor(private readonly users: UserRepository) {}

  async get(userId: string): Promise<UserView> {
    const user = isUuid(userId) ? await this.users.findOne({ id: userId }) : null;
    if (!user) throw notFound('IDENTITY.USER_NOT_FOUND', 'this account no longer exists');
    return user.toView();
  }

  async list(query: ListUsersRequest): Promise<Page<UserView>> {
    const [rows, total] = await this.users.list(query);
    return {
      data: rows.map((u) => u.toView()),
      meta: { page: query.page, limit: query.limit, total, total_pages: Math.ceil(total / query.limit) },
    };
  }
}
