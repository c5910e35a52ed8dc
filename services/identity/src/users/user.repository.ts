import { EntityRepository, FilterQuery, QueryOrder } from '@mikro-orm/postgresql';
import type { ListUsersRequest, UserSort } from '@marquee/contracts';
import type { User } from './user.entity';

const SORT_FIELD: Record<string, string> = { created_at: 'createdAt', email: 'email', name: 'name' };
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class UserRepository extends EntityRepository<User> {
  findByCanonical(emailCanonical: string): Promise<User | null> {
    return this.findOne({ emailCanonical });
  }

  async list(query: ListUsersRequest): Promise<[User[], number]> {
    const where: FilterQuery<User> = {};
    if (query.verified !== undefined) where.verified = query.verified;
    if (query.q) {
      const like = `%${escapeLike(query.q)}%`;
      where.$or = [{ email: { $ilike: like } }, { name: { $ilike: like } }];
    }
    const [field, order] = parseSort(query.sort);
    return this.findAndCount(where, {
      orderBy: [{ [field]: order }, { id: QueryOrder.ASC }],
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
    });
  }
}

function parseSort(sort: UserSort): [string, QueryOrder] {
  const desc = sort.startsWith('-');
  return [SORT_FIELD[desc ? sort.slice(1) : sort] ?? 'createdAt', desc ? QueryOrder.DESC : QueryOrder.ASC];
}
