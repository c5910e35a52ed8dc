import { EntityRepository, FilterQuery, QueryOrder } from '@mikro-orm/postgresql';
import type { KeySort, ListKeysRequest } from '@marquee/contracts';
import { runSql } from '@marquee/database';
import type { ApiKey } from './api-key.entity';
import type { PlanLimit } from './key-limit';

export interface QuotaUsageRow {
  id: string;
  owner_email: string;
  name: string;
  prefix: string;
  usage_count: string;
  usage_period: string;
  quota_notice_period: string | null;
  quota_notice_level: number;
  monthly_quota: string;
}

const SORT_FIELD: Record<string, string> = {
  created_at: 'createdAt', name: 'name', owner_email: 'ownerEmail', usage_count: 'usageCount',
  last_used_at: 'lastUsedAt', plan: 'plan', status: 'status',
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class ApiKeyRepository extends EntityRepository<ApiKey> {
  findLive(id: string): Promise<ApiKey | null> {
    return this.findOne({ id, deletedAt: null }, { populate: ['plan'] });
  }

  /** Includes deleted keys: the cache must learn that a deleted key is gone. */
  findByHash(keyHash: string): Promise<ApiKey | null> {
    return this.findOne({ keyHash }, { populate: ['plan'] });
  }

  /** A developer's key: the owner id is matched first, so another developer's key id is simply not found. */
  findOwned(ownerId: string, id: string): Promise<ApiKey | null> {
    return this.findOne({ ownerId, id, deletedAt: null }, { populate: ['plan'] });
  }

  listOwned(ownerId: string): Promise<ApiKey[]> {
    return this.find({ ownerId, deletedAt: null }, { populate: ['plan'], orderBy: { createdAt: QueryOrder.ASC, id: QueryOrder.ASC } });
  }

  findFirstKeyOf(ownerId: string): Promise<ApiKey | null> {
    return this.findOne({ ownerId, firstKey: true }, { populate: ['plan'] });
  }

  async countLiveByOwnerIds(ownerIds: string[]): Promise<Record<string, number>> {
    if (ownerIds.length === 0) return {};
    const rows = await runSql<{ owner_id: string; n: number }[]>(
      this.getEntityManager(),
      'select owner_id, count(*)::int as n from api_keys where owner_id = any(?::uuid[]) and deleted_at is null group by owner_id',
      [`{${ownerIds.join(',')}}`],
    );
    return Object.fromEntries(rows.map((r) => [r.owner_id, r.n]));
  }

  /** Current usage of live keys with a quota, locked until the caller's transaction ends (in id order: no deadlocks). */
  lockQuotaUsage(ids: string[]): Promise<QuotaUsageRow[]> {
    return runSql<QuotaUsageRow[]>(this.getEntityManager(), `
      select k.id, k.owner_email, k.name, k.prefix, k.usage_count, to_char(k.usage_period, 'YYYY-MM-DD') as usage_period,
             to_char(k.quota_notice_period, 'YYYY-MM-DD') as quota_notice_period, k.quota_notice_level, p.monthly_quota
      from api_keys k join plans p on p.code = k.plan_code
      where k.id = any(?::uuid[]) and k.deleted_at is null and p.monthly_quota > 0
      order by k.id for update of k`, [`{${ids.join(',')}}`]);
  }

  async recordQuotaNotice(id: string, period: string, level: number): Promise<void> {
    await runSql(this.getEntityManager(), 'update api_keys set quota_notice_period = ?, quota_notice_level = ? where id = ?', [period, level, id]);
  }

  countLiveOwnedBy(ownerEmail: string): Promise<number> {
    return this.count({ ownerEmail: ownerEmail.toLowerCase(), deletedAt: null });
  }

  /** The plans an owner's live keys are on, with how many keys each: what the key limit is checked against. */
  async holdings(ownerEmail: string): Promise<(PlanLimit & { keys: number })[]> {
    const rows = await runSql<{ code: string; max_keys: number; keys: number }[]>(this.getEntityManager(), `
      select p.code, p.max_keys, count(*)::int as keys
      from api_keys k join plans p on p.code = k.plan_code
      where k.owner_email = ? and k.deleted_at is null
      group by p.code, p.max_keys`, [ownerEmail.toLowerCase()]);
    return rows.map((r) => ({ code: r.code, maxKeys: r.max_keys, keys: r.keys }));
  }

  /** Keys made for the address before its developer signed up become theirs (deleted ones too: their usage history). */
  async claimUnowned(ownerId: string, ownerEmail: string): Promise<number> {
    const rows = await runSql<{ id: string }[]>(this.getEntityManager(),
      'update api_keys set owner_id = ? where owner_id is null and owner_email = ? returning id', [ownerId, ownerEmail.toLowerCase()]);
    return rows.length;
  }

  /** Serialises key creation and plan changes per owner, so that together they cannot pass a plan's max_keys. */
  async lockOwner(ownerEmail: string): Promise<void> {
    await runSql(this.getEntityManager(), 'select pg_advisory_xact_lock(hashtext(?))', [`api-key-owner:${ownerEmail.toLowerCase()}`]);
  }

  async list(query: ListKeysRequest): Promise<[ApiKey[], number]> {
    const where: FilterQuery<ApiKey> = { deletedAt: null };
    if (query.status) where.status = query.status;
    if (query.plan) where.plan = { code: query.plan };
    if (query.q) {
      const like = `%${escapeLike(query.q)}%`;
      where.$or = [{ name: { $ilike: like } }, { ownerEmail: { $ilike: like } }, { prefix: { $ilike: like } }];
    }
    const [sortKey, order] = parseSort(query.sort);
    return this.findAndCount(where, {
      populate: ['plan'],
      orderBy: [{ [sortKey]: order }, { id: QueryOrder.ASC }],
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
    });
  }
}

function parseSort(sort: KeySort): [string, QueryOrder] {
  const desc = sort.startsWith('-');
  const field = SORT_FIELD[desc ? sort.slice(1) : sort] ?? 'createdAt';
  return [field, desc ? QueryOrder.DESC_NULLS_LAST : QueryOrder.ASC_NULLS_LAST];
}
