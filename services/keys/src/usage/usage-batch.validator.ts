import { isUuid, isUuidV7, uuidv7Ms } from '@marquee/common';
import { USAGE_BATCH_COLUMNS, UsageBatchJob, usageBatchOf, usageBatchRows } from '@marquee/contracts';

/** A batch with each call's time (epoch ms), as the repository persists it. */
export type TimedUsageBatch = UsageBatchJob & { at: number[] };

/**
 * The batch with its calls' times: those it carries (queued by an earlier gateway), else each
 * request id's instant. For a batch that has passed wellFormedRows, or that the caller built
 * from UUIDv7 request ids: the ids are not checked again here.
 */
export function withTimes(batch: UsageBatchJob): TimedUsageBatch {
  return batch.at ? (batch as TimedUsageBatch) : { ...batch, at: batch.requestId.map(uuidv7Ms) };
}

/**
 * The rows of a queued batch that can be persisted, with their times, and how many could not
 * (logged by the caller, never silently). A batch from our own gateway is whole and comes back as
 * it is; a damaged one loses only its damaged rows. Without a time column, a row's request id
 * must be a UUIDv7: its time is read from it.
 */
export function wellFormedRows(data: unknown): { batch: TimedUsageBatch; dropped: number } {
  const raw = (data ?? {}) as Partial<Record<keyof UsageBatchJob, unknown>>;
  const rows = Array.isArray(raw.requestId) ? raw.requestId.length : 0;
  const columnsOk = Array.isArray(raw.keyIds) && USAGE_BATCH_COLUMNS.every((c) => Array.isArray(raw[c]) && (raw[c] as unknown[]).length === rows)
    && (raw.at === undefined || (Array.isArray(raw.at) && raw.at.length === rows));
  if (!columnsOk) return { batch: { ...usageBatchOf([]), at: [] }, dropped: rows };

  const batch = raw as UsageBatchJob;
  const { at } = batch;
  // One regular expression an id: checking it a second time, for its version, cost the keys
  // worker 0.37 µs of its 4.65 an event (bench/usage.ts, 3,000-event jobs).
  const idAndTimeOk = at ? (i: number) => isUuid(batch.requestId[i]) && Number.isFinite(at[i]) : (i: number) => isUuidV7(batch.requestId[i]);
  const keyOk = batch.keyIds.map(isUuid);
  const ok = (i: number): boolean => {
    const k = batch.key[i];
    return idAndTimeOk(i) && keyOk[k] === true
      && typeof batch.method[i] === 'string' && typeof batch.endpoint[i] === 'string'
      && Number.isInteger(batch.status[i]) && Number.isFinite(batch.latencyMs[i])
      && (batch.counted[i] === 0 || batch.counted[i] === 1);
  };
  let firstBad = 0;
  while (firstBad < rows && ok(firstBad)) firstBad += 1;
  if (firstBad === rows) return { batch: withTimes(batch), dropped: 0 };

  const kept = usageBatchRows(batch, ok);
  return { batch: withTimes(kept), dropped: rows - kept.requestId.length };
}
