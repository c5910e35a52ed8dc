export interface PlanLimit {
  code: string;
  maxKeys: number;
}

/**
 * The one rule on how many keys an owner may hold: a key on plan P only while the owner's total
 * of live keys, whatever their plans, is within P's max_keys. The plan whose limit `total` breaks
 * (the strictest of them, to name in the refusal), or null.
 */
export function brokenKeyLimit(total: number, plans: readonly PlanLimit[]): PlanLimit | null {
  let strictest: PlanLimit | null = null;
  for (const plan of plans) {
    if (total > plan.maxKeys && (!strictest || plan.maxKeys < strictest.maxKeys)) strictest = plan;
  }
  return strictest;
}
