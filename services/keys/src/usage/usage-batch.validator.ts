import { isUuid } from '@marquee/common';
import { USAGE_BATCH_COLUMNS, UsageBatchJob, usageBatchOf, usageBatchRows } from '@marquee/contracts';

/**
 * The rows of a queued batch that can be persisted, and how many could not (logged by the
 * caller, never silently). A batch from our own gateway is whole and comes back as it is; a
 * damaged one loses only its damaged rows.
 */
export function wellFormedRows(data: unknown): { batch: UsageBatchJob; dropped: number } {
  const raw = (data ?? {}) as Partial<Record<keyof UsageBatchJob, unknown>>;
  const rows = Array.isArray(raw.requestId) ? raw.requestId.length : 0;
  if (!Array.isArray(raw.keyIds) || !USAGE_BATCH_COLUMNS.every((c) => Array.isArray(raw[c]) && (raw[c] as unknown[]).length === rows)) {
    return { batch: usageBatchOf([]), dropped: rows };
  }
  const batch = raw as UsageBatchJob;
  const keyOk = batch.keyIds.map(isUuid);
  const ok = (i: number): boolean => {
    const k = batch.key[i];
    return isUuid(batch.requestId[i]) && keyOk[k] === true
      && typeof batch.method[i] === 'string' && typeof batch.endpoint[i] === 'string'
      && Number.isInteger(batch.status[i]) && Number.isFinite(batch.latencyMs[i]) && Number.isFinite(batch.at[i])
      && (batch.counted[i] === 0 || batch.counted[i] === 1);
  };
  let firstBad = 0;
  while (firstBad < rows && ok(firstBad)) firstBad += 1;
  if (firstBad === rows) return { batch, dropped: 0 };

  const kept = usageBatchRows(batch, ok);
  return { batch: kept, dropped: rows - kept.requestId.length };
}
