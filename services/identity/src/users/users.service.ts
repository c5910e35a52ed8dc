import { Injectable } from '@nestjs/common';
import { notFound } from '@marquee/common';
import type { ListUsersRequest, Page, UserView } from '@marquee/contracts';
import { UserRepository } from './user.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class UsersService {
  constructor(private readonly users: UserRepository) {}

  async get(userId: string): Promise<UserView> {
    const user = UUID.test(userId) ? await this.users.findOne({ id: userId }) : null;
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
