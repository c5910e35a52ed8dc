import { LATENCY_BUCKETS, latencyBucket } from './latency-histogram';
import type { TimedUsageBatch } from './usage-batch.validator';

const HOUR_MS = 3_600_000;

/** Calls of one key in one UTC hour: a row of usage_rollups_hourly to add. */
export interface HourTotals {
  keyId: string;
  hourMs: number;
  requests: number;
  errors: number;
  latencySumMs: number;
  latencyMaxMs: number;
  /** calls by latency bucket (latency-histogram.ts) */
  histogram: Int32Array;
}

/** What a batch adds to one key's counters: the newest month it holds, and no earlier one. */
export interface KeyTotals {
  keyId: string;
  /** first day of the month, 'YYYY-MM-DD' */
  period: string;
  /** counted calls of that month made after the key's last usage reset */
  admitted: number;
  lastUsedMs: number;
}

export interface BatchTotals {
  /** the rows to log: those of keys that exist */
  rows: number[];
  hours: HourTotals[];
  keys: KeyTotals[];
}

/**
 * Sums a batch for the rollups and the keys' counters, given the keys that exist (by lower-case
 * id) and when each was last reset (epoch ms, null when never). Rows of other keys are left
 * out. A late event of an earlier month is logged and rolled up but counts toward nothing: that
 * month's count is closed. Hours and months are UTC.
 */
export function batchTotals(batch: TimedUsageBatch, resetMs: ReadonlyMap<string, number | null>): BatchTotals {
  const rows: number[] = [];
  const hours: HourTotals[] = [];
  // By key index, then hour: numeric lookups, no key string built per row.
  const hoursOfKey: Map<number, HourTotals>[] = [];
  const keys = new Map<string, KeyTotals & { monthStartMs: number }>();
  const month = new MonthOf();
  // A uuid's text may come in either case; PostgreSQL's is lower case.
  const keyIds = batch.keyIds.map((id) => id.toLowerCase());
  const resets = keyIds.map((id) => resetMs.get(id));
  for (let i = 0; i < batch.requestId.length; i += 1) {
    const reset = resets[batch.key[i]];
    if (reset === undefined) continue;
    const keyId = keyIds[batch.key[i]];
    rows.push(i);
    const at = batch.at[i];
    const latency = Math.fround(batch.latencyMs[i]); // what the real column holds
    const hourIndex = Math.floor(at / HOUR_MS);
    const ofKey = hoursOfKey[batch.key[i]] ??= new Map();
    let hour = ofKey.get(hourIndex);
    if (!hour) {
      hour = { keyId, hourMs: hourIndex * HOUR_MS, requests: 0, errors: 0, latencySumMs: 0, latencyMaxMs: latency, histogram: new Int32Array(LATENCY_BUCKETS) };
      ofKey.set(hourIndex, hour);
      hours.push(hour);
    }
    hour.requests += 1;
    if (batch.status[i] >= 400) hour.errors += 1;
    hour.latencySumMs += latency;
    if (latency > hour.latencyMaxMs) hour.latencyMaxMs = latency;
    hour.histogram[latencyBucket(latency)] += 1;

    const monthStartMs = month.start(at);
    let key = keys.get(keyId);
    if (!key || monthStartMs > key.monthStartMs) {
      keys.set(keyId, key = { keyId, period: new Date(monthStartMs).toISOString().slice(0, 10), monthStartMs, admitted: 0, lastUsedMs: at });
    } else if (monthStartMs < key.monthStartMs) {
      continue;
    }
    if (batch.counted[i] === 1 && (reset === null || at >= reset)) key.admitted += 1;
    if (at > key.lastUsedMs) key.lastUsedMs = at;
  }
  return { rows, hours, keys: [...keys.values()].map(({ monthStartMs: _, ...k }) => k) };
}

/** The UTC month an instant falls in, remembering the last one: a batch rarely spans two. */
class MonthOf {
  private from = 0;
  private to = 0;

  start(epochMs: number): number {
    if (epochMs >= this.from && epochMs < this.to) return this.from;
    const d = new Date(epochMs);
    this.from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    this.to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return this.from;
  }
}
