import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '@marquee/common';
import type { PlanCode } from '@marquee/contracts';
import { Plan } from './plan.entity';

/**
 * The plan of this code, or KEYS.UNKNOWN_PLAN naming the code and the plans there are. Plans are
 * rows, not constants: an operator may add one. `status` is 422 for a plan in a body (a field to
 * fix) and 400 for a plan in a query (a parameter), as for every other field and parameter.
 */
export async function requirePlan(em: EntityManager, code: PlanCode, status: 400 | 422): Promise<Plan> {
  const plan = await em.findOne(Plan, { code });
  if (plan) return plan;
  const known = await em.find(Plan, {}, { orderBy: { code: 'asc' } });
  throw new DomainError('KEYS.UNKNOWN_PLAN', status, `plan must be one of ${known.map((p) => p.code).join(', ')}; "${code}" is not`);
}
