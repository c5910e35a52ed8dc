import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { DomainError, hasLoneSurrogate, InjectRedis, isUuid, trimInvisible } from '@marquee/common';
import type {
  ApiKeyView, ClaimFirstKeyRequest, ClaimFirstKeyResult, CreateKeyRequest, CreateOwnedKeyRequest, CreatedApiKey, ListKeysRequest, Page, PlanCode,
} from '@marquee/contracts';
import { KeyRecord, quotaPeriod, RECORD_TTL_S, setQuotaCounter, writeKeyRecord, writeNegativeRecord } from '@marquee/quota';
import { Plan } from '../plans/plan.entity';
import { requirePlan } from '../plans/require-plan';
import { ApiKey } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { currentUsage, toApiKeyView } from './api-key.view';
import { brokenKeyLimit, PlanLimit } from './key-limit';
import { displayPrefix, hashKey, newRawKey } from './key-material';

const FIRST_KEY_PLAN = 'free';
const FIRST_KEY_NAME = 'Default key';
/** How long the raw first key waits in Redis for the landing page to show it (then it is gone for good). */
const FIRST_KEY_STASH_S = 15 * 60;
const firstKeyStash = (ticket: string) => `mq:first-key:${ticket}`;

/**
 * Owns the lifecycle of API keys. Every change is written to PostgreSQL first and then to the
 * Redis record the gateway reads, so it takes effect on the very next API call.
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

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

  async create(input: CreateKeyRequest & { ownerId?: string | null }): Promise<CreatedApiKey> {
    const ownerEmail = input.ownerEmail.trim().toLowerCase();
    const name = keyName(input.name);
    const rawKey = newRawKey();
    const key = await this.em.transactional(async (em) => {
      const plan = await requirePlan(em, input.plan, 422);
      const keys = em.getRepository(ApiKey);
      await keys.lockOwner(ownerEmail);
      const { owned, broken, across } = await this.limitOnOneMore(keys, ownerEmail, plan);
      if (broken) {
        throw new DomainError('KEYS.LIMIT_REACHED', 409, `${ownerEmail} already has ${owned} keys; the ${broken.code} plan allows ${broken.maxKeys}${across ? ' (keys on every plan count together)' : ''}`);
      }
      return this.insert(em, { ...input, name, ownerEmail, plan }, rawKey);
    });
    await this.cacheNewValue(key);
    return { ...toApiKeyView(key), key: rawKey };
  }

  /**
   * The key a developer gets on verifying their address: at most one per owner, whoever asks
   * first (the verified event, on any replica, possibly twice; or the landing page). The winner
   * stashes the raw key under the event's ticket for the landing page. Serialised per owner.
   */
  async issueFirstKey(owner: { ownerId: string; ownerEmail: string; ticket?: string }): Promise<CreatedApiKey | null> {
    const ownerEmail = owner.ownerEmail.trim().toLowerCase();
    const rawKey = newRawKey();
    const key = await this.em.transactional(async (em) => {
      const keys = em.getRepository(ApiKey);
      await keys.lockOwner(ownerEmail);
      const claimed = await keys.claimUnowned(owner.ownerId, ownerEmail);
      if (claimed) this.logger.log(`${claimed} key(s) made for ${ownerEmail} before sign-up now belong to user ${owner.ownerId}`);
      if (await keys.findFirstKeyOf(owner.ownerId)) return null;
      const plan = await em.findOneOrFail(Plan, { code: FIRST_KEY_PLAN });
      // Keys an admin made for the address may already fill a plan's limit: then they are all there is.
      if ((await this.limitOnOneMore(keys, ownerEmail, plan)).broken) return null;
      const created = await this.insert(em, { ownerEmail, ownerId: owner.ownerId, name: FIRST_KEY_NAME, plan, firstKey: true }, rawKey);
      const view: CreatedApiKey = { ...toApiKeyView(created), key: rawKey };
      // Inside the owner lock: a landing page waiting on the lock finds the stash once it gets it.
      if (owner.ticket) await this.redis.set(firstKeyStash(owner.ticket), JSON.stringify(view), 'EX', FIRST_KEY_STASH_S);
      return created;
    });
    if (!key) return null;
    await this.cacheNewValue(key);
    return { ...toApiKeyView(key), key: rawKey };
  }

  /**
   * For the verification landing page: the raw first key exactly once (from the stash, or issued
   * now when the event has not arrived), afterwards only the key without its raw value.
   */
  async claimFirstKey({ ownerId, ownerEmail, ticket }: ClaimFirstKeyRequest): Promise<ClaimFirstKeyResult> {
    const issued = await this.issueFirstKey({ ownerId, ownerEmail });
    if (issued) return { key: issued, existing: null };
    const existing = await this.keys.findFirstKeyOf(ownerId);
    const stashed = await this.redis.getdel(firstKeyStash(ticket));
    const key = stashed ? (JSON.parse(stashed) as CreatedApiKey) : null;
    if (key && existing && key.id === existing.id && key.owner_id === ownerId && !existing.deletedAt) {
      return { key: { ...toApiKeyView(existing), key: key.key }, existing: null };
    }
    return { key: null, existing: existing && !existing.deletedAt ? toApiKeyView(existing) : null };
  }

  listOwned(ownerId: string): Promise<ApiKeyView[]> {
    return this.keys.listOwned(ownerId).then((rows) => rows.map((k) => toApiKeyView(k)));
  }

  /** A developer's new key, on the plan of their existing keys (free when none), within max_keys. */
  async createOwned({ ownerId, ownerEmail, name }: CreateOwnedKeyRequest): Promise<CreatedApiKey> {
    const owned = await this.keys.listOwned(ownerId);
    const plan = owned.find((k) => k.plan.code !== FIRST_KEY_PLAN)?.plan.code ?? FIRST_KEY_PLAN;
    return this.create({ ownerEmail, ownerId, name, plan });
  }

  /** A new raw value for the same key: the old value stops working on its next call. */
  async rotateOwned(ownerId: string, id: string): Promise<CreatedApiKey> {
    const key = await this.requireOwned(ownerId, id);
    const oldHash = key.keyHash;
    const rawKey = newRawKey();
    key.keyHash = hashKey(rawKey);
    key.prefix = displayPrefix(rawKey);
    key.version += 1;
    await this.em.flush();
    try {
      await writeNegativeRecord(this.redis, oldHash, key.version);
    } catch (error) {
      // Committed: failing here would lose the new value and leave the old one working all the same.
      this.logger.error(`key ${key.id} rotated, but Redis still holds its old value (${(error as Error).message}): that value works until its record expires, within ${RECORD_TTL_S} s`);
    }
    await this.cacheNewValue(key);
    return { ...toApiKeyView(key), key: rawKey };
  }

  async removeOwned(ownerId: string, id: string): Promise<ApiKeyView> {
    return this.softDelete(await this.requireOwned(ownerId, id));
  }

  countByOwners(ownerIds: string[]): Promise<Record<string, number>> {
    return this.keys.countLiveByOwnerIds(ownerIds.filter(isUuid));
  }

  async list(query: ListKeysRequest): Promise<Page<ApiKeyView>> {
    // A filter by a plan that does not exist is a mistake (a typo), not a question with no answer.
    if (query.plan !== undefined) await requirePlan(this.em, query.plan, 400);
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

  /**
   * The key first (404), then the plan (422), then the owner's key limit under the same lock as
   * create: a create and a plan change racing for one owner cannot together break it (409).
   */
  async changePlan(id: string, planCode: PlanCode): Promise<ApiKeyView> {
    const key = await this.em.transactional(async (em) => {
      const keys = em.getRepository(ApiKey);
      const found = await this.require(id, keys);
      const plan = await requirePlan(em, planCode, 422);
      await keys.lockOwner(found.ownerEmail);
      const total = await keys.countLiveOwnedBy(found.ownerEmail);
      if (brokenKeyLimit(total, [plan])) {
        throw new DomainError('KEYS.LIMIT_REACHED', 409, `${found.ownerEmail} has ${total} keys; the ${plan.code} plan allows ${plan.maxKeys}, so this key cannot move to it`);
      }
      found.plan = plan;
      found.version += 1;
      await em.flush();
      return found;
    });
    await this.cache(key);
    return toApiKeyView(key);
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
    return this.softDelete(await this.require(id));
  }

  private async softDelete(key: ApiKey): Promise<ApiKeyView> {
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

  /**
   * Inside the owner's lock: one more key on `plan` must keep the owner within the limit of every
   * plan they would then hold. `across` when the keys counted are on more than one plan.
   */
  private async limitOnOneMore(keys: ApiKeyRepository, ownerEmail: string, plan: Plan): Promise<{ owned: number; broken: PlanLimit | null; across: boolean }> {
    const held = await keys.holdings(ownerEmail);
    const owned = held.reduce((n, h) => n + h.keys, 0);
    return { owned, broken: brokenKeyLimit(owned + 1, [...held, plan]), across: held.some((h) => h.code !== plan.code) };
  }

  private async requireOwned(ownerId: string, id: string): Promise<ApiKey> {
    const key = isUuid(id) ? await this.keys.findOwned(ownerId, id) : null;
    if (!key) throw new DomainError('KEYS.NOT_FOUND', 404, `you have no API key with id ${id}`);
    return key;
  }

  private async insert(
    em: EntityManager,
    input: { ownerEmail: string; ownerId?: string | null; name: string; plan: Plan; expiresAt?: string | null; firstKey?: boolean },
    rawKey: string,
  ): Promise<ApiKey> {
    const created = em.create(ApiKey, {
      ownerEmail: input.ownerEmail,
      ownerId: input.ownerId ?? null,
      name: input.name,
      keyHash: hashKey(rawKey),
      prefix: displayPrefix(rawKey),
      plan: input.plan,
      usagePeriod: new Date(quotaPeriod(Date.now()).startMs).toISOString().slice(0, 10),
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      firstKey: input.firstKey ?? false,
    });
    await em.flush();
    return created;
  }

  private async require(id: string, keys = this.keys): Promise<ApiKey> {
    const key = /^[0-9a-f-]{36}$/i.test(id) ? await keys.findLive(id) : null;
    if (!key) throw new DomainError('KEYS.NOT_FOUND', 404, `no API key with id ${id}`);
    return key;
  }

  /**
   * After a new raw value is committed its Redis record is only a head start (a gateway that
   * misses it loads the key from PostgreSQL): failing it must not lose the value, shown this once.
   */
  private async cacheNewValue(key: ApiKey): Promise<void> {
    try {
      await this.cache(key);
    } catch (error) {
      this.logger.warn(`key ${key.id} saved; its Redis record was not written (${(error as Error).message}), the gateway loads it on first use`);
    }
  }

  /** Writes the record and, when Redis has no counter for this month, seeds it from PostgreSQL. */
  private async cache(key: ApiKey): Promise<void> {
    const period = quotaPeriod(Date.now());
    await writeKeyRecord(this.redis, key.keyHash, recordOf(key), { periodId: period.id, used: currentUsage(key), resetMs: period.resetMs });
  }
}

/** What the gateway validates, checked again for every other caller (the CLI): a name that shows something, storable as it is. */
function keyName(name: string): string {
  const trimmed = trimInvisible(name);
  if (!trimmed) throw new DomainError('INVALID_FIELDS', 422, 'name is required');
  if (hasLoneSurrogate(trimmed)) throw new DomainError('INVALID_FIELDS', 422, 'name must be valid Unicode text: it holds half of a UTF-16 surrogate pair');
  return trimmed;
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
