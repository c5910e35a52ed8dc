import { Entity, EntityRepositoryType, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { KeyStatus } from '@marquee/contracts';
import { Plan } from '../plans/plan.entity';
import { ApiKeyRepository } from './api-key.repository';

@Entity({ tableName: 'api_keys', repository: () => ApiKeyRepository })
export class ApiKey {
  [EntityRepositoryType]?: ApiKeyRepository;
  [OptionalProps]?: 'status' | 'usageCount' | 'usageResetAt' | 'version' | 'createdAt' | 'lastUsedAt' | 'deletedAt' | 'ownerId' | 'expiresAt' | 'firstKey' | 'quotaNoticePeriod' | 'quotaNoticeLevel';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'uuid', nullable: true })
  ownerId: string | null = null;

  @Property({ type: 'text' })
  ownerEmail!: string;

  @Property({ type: 'text' })
  name!: string;

  /** SHA-256 of the raw key; the raw key itself is never stored. */
  @Property({ type: 'character(64)', hidden: true })
  keyHash!: string;

  @Property({ type: 'text' })
  prefix!: string;

  @ManyToOne(() => Plan, { fieldName: 'plan_code' })
  plan!: Plan;

  @Property({ type: 'text' })
  status: KeyStatus = 'active';

  /** Admitted calls in `usagePeriod`; converges to the Redis counter as the usage queue drains. */
  @Property({ type: 'bigint' })
  usageCount = '0';

  /** First day of the month `usageCount` belongs to. */
  @Property({ type: 'date' })
  usagePeriod!: string;

  @Property({ type: 'timestamptz', nullable: true })
  usageResetAt: Date | null = null;

  /** Bumped on every change, so an older cache fill never overwrites a newer record in Redis. */
  @Property({ type: 'integer', version: false })
  version = 1;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;

  /** The key issued on e-mail verification; a unique index allows one per owner. */
  @Property({ type: 'boolean' })
  firstKey = false;

  /** Month and highest threshold (80, 100) of the last quota mail: one mail per threshold per month. */
  @Property({ type: 'date', nullable: true })
  quotaNoticePeriod: string | null = null;

  @Property({ type: 'smallint' })
  quotaNoticeLevel = 0;
}
