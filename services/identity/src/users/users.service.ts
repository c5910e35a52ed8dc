import { Injectable } from '@nestjs/common';
import { isUuid, notFound } from '@marquee/common';
import type { FindUserByEmailResult, ListUsersRequest, Page, UserView } from '@marquee/contracts';
import { canonicalEmail } from './email-address';
import { UserRepository } from './user.repository';

@Injectable()
export class UsersService {
  constructor(private readonly users: UserRepository) {}

  async get(userId: string): Promise<UserView> {
    const user = isUuid(userId) ? await this.users.findOne({ id: userId }) : null;
    if (!user) throw notFound('IDENTITY.USER_NOT_FOUND', 'this account no longer exists');
    return user.toView();
  }

  /** Only a verified account: an unverified sign-up has not proved the address is theirs. */
  async findVerifiedByEmail(email: string): Promise<FindUserByEmailResult> {
    const user = await this.users.findByCanonical(canonicalEmail(email));
    return { user: user?.verified ? user.toView() : null };
  }

  async list(query: ListUsersRequest): Promise<Page<UserView>> {
    const [rows, total] = await this.users.list(query);
    return {
      data: rows.map((u) => u.toView()),
      meta: { page: query.page, limit: query.limit, total, total_pages: Math.ceil(total / query.limit) },
    };
  }
}
