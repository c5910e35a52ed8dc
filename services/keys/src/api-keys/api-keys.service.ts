import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DomainError, InjectRedis } from '@marquee/common';
import type { ApiKeyView, CreateKeyRequest, CreatedApiKey, ListKeysRequest, Page, PlanCode } from '@marquee/contracts';
import { KeyRecord, quotaPeriod, setQuotaCounter, writeKeyRecord, writeNegativeRecord } from '@marquee/quota';
import { Plan } from '../plans/plan.entity';
import { ApiKey } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { currentUsage, toApiKeyView } from './api-key.view';
import { displayPrefix, hashKey, newRawKey } from './key-material';

/**
 * Owns the lifecycle of API keys. Every change is written to PostgreSQL first and then to the
 * Redis record the gateway reads, so it takes effect on the very next API call.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly em: EntityManager,
    private readonly keys: ApiKeyRepository,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  /** Cache fill for the gateway: loads one key by hash into Redis (or remembers it is unknown). */
  async loadRecord(keyHash: string): Promise<boolean> {
    const key = await this.keys.findByHash(keyHash);
    if (!key || key.deletedAt) {
      await writeNegativeRecord(this.redis, keyHash, key?.version ?? 0);
      return false;
    }
    await this.cache(key);
    return true;
  }

  async create(input: CreateKeyRequest): Promise<CreatedApiKey> {
    const ownerEmail = input.ownerEmail.trim().toLowerCase();
    const rawKey = newRawKey();
    const key = await this.em.transactional(async (em) => {
      const plan = await em.findOne(Plan, { code: input.plan });
      if (!plan) throw new DomainError('KEYS.UNKNOWN_PLAN', 422, `plan must be one of the existing plans; "${input.plan}" is not`);
      const keys = em.getRepository(ApiKey);
      await keys.lockOwner(ownerEmail);
      const owned = await keys.countLiveOwnedBy(ownerEmail);
      if (owned >= plan.maxKeys) {
        throw new DomainError('KEYS.LIMIT_REACHED', 409, `${ownerEmail} already has ${owned} keys; the ${plan.code} plan allows ${plan.maxKeys}`);
      }
      const created = em.create(ApiKey, {
        ownerEmail,
        ownerId: input.ownerId ?? null,
        name: input.name.trim(),
        keyHash: hashKey(rawKey),
        prefix: displayPrefix(rawKey),
        plan,
        usagePeriod: new Date(quotaPeriod(Date.now()).startMs).toISOString().slice(0, 10),
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      });
      await em.flush();
      return created;
    });
    await this.cache(key);
    return { ...toApiKeyView(key), key: rawKey };
  }

  async list(query: ListKeysRequest): Promise<Page<ApiKeyView>> {
    const [rows, total] = await this.keys.list(query);
    return {
      data: rows.map((k) => toApiKeyView(k)),
      meta: { page: query.page, limit: query.limit, total, total_pages: Math.ceil(total / query.limit) },
    };
  }

  async get(id: string): Promise<ApiKeyView> {
    return toApiKeyView(await this.require(id));
  }

  suspend(id: string) {
    return this.change(id, (key) => { key.status = 'suspended'; });
  }

  resume(id: string) {
    return this.change(id, (key) => { key.status = 'active'; });
  }

  async changePlan(id: string, planCode: PlanCode): Promise<ApiKeyView> {
    const plan = await this.em.findOne(Plan, { code: planCode });
    if (!plan) throw new DomainError('KEYS.UNKNOWN_PLAN', 422, `plan must be one of the existing plans; "${planCode}" is not`);
    return this.change(id, (key) => { key.plan = plan; });
  }

  /** Zeroes this month's count in PostgreSQL and Redis; calls made before the reset no longer count. */
  async resetUsage(id: string): Promise<ApiKeyView> {
    const period = quotaPeriod(Date.now());
    const view = await this.change(id, (key) => {
      key.usageCount = '0';
      key.usagePeriod = new Date(period.startMs).toISOString().slice(0, 10);
      key.usageResetAt = new Date();
    });
    await setQuotaCounter(this.redis, id, period.id, 0, period.resetMs);
    return view;
  }

  /** Soft delete: the row stays for the usage history; the key stops working at once. */
  async remove(id: string): Promise<ApiKeyView> {
    const key = await this.require(id);
    key.deletedAt = new Date();
    key.version += 1;
    await this.em.flush();
    await writeNegativeRecord(this.redis, key.keyHash, key.version);
    return toApiKeyView(key);
  }

  private async change(id: string, apply: (key: ApiKey) => void): Promise<ApiKeyView> {
    const key = await this.require(id);
    apply(key);
    key.version += 1;
    await this.em.flush();
    await this.cache(key);
    return toApiKeyView(key);
  }

  private async require(id: string): Promise<ApiKey> {
    const key = /^[0-9a-f-]{36}$/i.test(id) ? await this.keys.findLive(id) : null;
    if (!key) throw new DomainError('KEYS.NOT_FOUND', 404, `no API key with id ${id}`);
    return key;
  }

  /** Writes the record and, when Redis has no counter for this month, seeds it from PostgreSQL. */
  private async cache(key: ApiKey): Promise<void> {
    const period = quotaPeriod(Date.now());
    await writeKeyRecord(this.redis, key.keyHash, recordOf(key), { periodId: period.id, used: currentUsage(key), resetMs: period.resetMs });
  }
}

function recordOf(key: ApiKey): KeyRecord {
  return {
    id: key.id,
    status: key.status,
    monthlyQuota: key.plan.quota,
    ratePerMinute: key.plan.rateLimitPerMinute,
    expiresAtMs: key.expiresAt?.getTime() ?? null,
    version: key.version,
  };
}
