import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { PlanCode, PlanView } from '@marquee/contracts';

@Entity({ tableName: 'plans' })
export class Plan {
  @PrimaryKey({ type: 'text' })
  code!: PlanCode;

  @Property({ type: 'text' })
  name!: string;

  /** null = unlimited */
  @Property({ type: 'bigint', nullable: true })
  monthlyQuota!: string | null;

  /** null = unlimited */
  @Property({ type: 'integer', nullable: true })
  rateLimitPerMinute!: number | null;

  @Property({ type: 'integer' })
  maxKeys!: number;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  get quota(): number | null {
    return this.monthlyQuota === null ? null : Number(this.monthlyQuota);
  }

  toView(): PlanView {
    return { code: this.code, name: this.name, monthly_quota: this.quota, rate_limit_per_minute: this.rateLimitPerMinute, max_keys: this.maxKeys };
  }
}
