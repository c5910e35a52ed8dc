import { EntityManager, IsolationLevel } from '@mikro-orm/postgresql';
import { uuidv7Floor } from '@marquee/common';
import { runSql } from '@marquee/database';
import { addHistogram, emptyHistogram, HISTOGRAM_COLUMNS } from './latency-histogram';

const HOUR_MS = 3_600_000;

/** Calls of one key over a range: counts and latency histogram. */
export interface KeyTotals {
  requests: number;
  errors: number;
  histogram: number[];
}

/** The calls of several keys together. */
export function sumTotals(totals: Iterable<KeyTotals>): KeyTotals {
  const all: KeyTotals = { requests: 0, errors: 0, histogram: emptyHistogram() };
  for (const t of totals) {
    all.requests += t.requests;
    all.errors += t.errors;
    addHistogram(all.histogram, t.histogram);
  }
  return all;
}

type Span = [fromMs: number, toMs: number];

/**
 * [from, to) as the whole hours inside it, read from the hourly rollups, and what is left at its
 * ends, read from the log rows (a part of an hour each at most). An end at or after now takes its
 * hour's rollup whole: a call is logged at its arrival, so none is logged after now.
 */
export function rangeParts(fromMs: number, toMs: number, nowMs: number): { hours: Span | null; edges: Span[] } {
  const hoursFrom = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const hoursTo = (toMs >= nowMs ? Math.ceil(toMs / HOUR_MS) : Math.floor(toMs / HOUR_MS)) * HOUR_MS;
  if (hoursFrom >= hoursTo) return { hours: null, edges: fromMs < toMs ? [[fromMs, toMs]] : [] };
  const edges: Span[] = [];
  if (fromMs < hoursFrom) edges.push([fromMs, hoursFrom]);
  if (hoursTo < toMs) edges.push([hoursTo, toMs]);
  return { hours: [hoursFrom, hoursTo], edges };
}

/** A key's rollups summed: counts, and the histogram as columns latency_b0 … (latency-histogram.ts). */
type RollupRow = { api_key_id: string; requests: string; errors: string } & Record<string, string>;

/** Each bucket column summed, as int: 148 sums a key in one pass. */
const HISTOGRAM_SUMS = HISTOGRAM_COLUMNS.map((c) => `sum(${c})::int as ${c}`).join(', ');

interface EdgeRow {
  api_key_id: string;
  bucket: number;
  requests: string;
  errors: string;
}

/**
 * Each key's calls over [from, to), from the rollups of the whole hours and the log rows of the
 * rest; only the keys of `ownerId` when given. Keys without calls are absent. One snapshot for
 * all of it.
 *
 * A range ending a moment ago, as "today" does, would read the current hour's log rows (a
 * million at 300 calls a second). When no call logged so far arrived at or after `to`, that
 * hour's rollup holds exactly its calls before `to`, and is read instead: request ids carry
 * their call's arrival (UUIDv7), so one probe of the primary key tells.
 */
export function keyTotals(
  em: EntityManager, fromMs: number, toMs: number, options: { ownerId?: string; nowMs?: number } = {},
): Promise<Map<string, KeyTotals>> {
  return em.transactional(async (tx) => {
    let parts = rangeParts(fromMs, toMs, options.nowMs ?? Date.now());
    if (parts.edges.some(([, end]) => end === toMs) && await nothingArrivedSince(tx, toMs)) parts = rangeParts(fromMs, toMs, toMs);
    return sumParts(tx, parts, options.ownerId);
  }, { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
}

async function nothingArrivedSince(em: EntityManager, ms: number): Promise<boolean> {
  const [{ quiet }] = await runSql<{ quiet: boolean }[]>(em,
    'select not exists (select 1 from usage_logs where request_id >= ?::uuid) as quiet', [uuidv7Floor(ms)]);
  return quiet;
}

async function sumParts(em: EntityManager, { hours, edges }: ReturnType<typeof rangeParts>, ownerId?: string): Promise<Map<string, KeyTotals>> {
  const owned = ownerId === undefined ? '' : 'and api_key_id in (select id from api_keys where owner_id = ?)';
  const ownerParam = ownerId === undefined ? [] : [ownerId];
  const iso = (ms: number) => new Date(ms).toISOString();
  const rollups = hours ? await runSql<RollupRow[]>(em, `
    select api_key_id, sum(requests) as requests, sum(errors) as errors, ${HISTOGRAM_SUMS}
    from usage_rollups_hourly where hour >= ? and hour < ? ${owned} group by api_key_id`, [iso(hours[0]), iso(hours[1]), ...ownerParam]) : [];
  const edgeRows: EdgeRow[] = [];
  for (const [from, to] of edges) {
    edgeRows.push(...await runSql<EdgeRow[]>(em, `
      select api_key_id, usage_latency_bucket(latency_ms) as bucket, count(*) as requests, count(*) filter (where status_code >= 400) as errors
      from usage_logs where created_at >= ? and created_at < ? ${owned} group by 1, 2`, [iso(from), iso(to), ...ownerParam]));
  }
  const totals = new Map<string, KeyTotals>();
  const of = (keyId: string): KeyTotals => {
    let key = totals.get(keyId);
    if (!key) totals.set(keyId, key = { requests: 0, errors: 0, histogram: emptyHistogram() });
    return key;
  };
  for (const row of rollups) {
    const key = of(row.api_key_id);
    key.requests += Number(row.requests);
    key.errors += Number(row.errors);
    addHistogram(key.histogram, HISTOGRAM_COLUMNS.map((c) => Number(row[c])));
  }
  for (const row of edgeRows) {
    const key = of(row.api_key_id);
    key.requests += Number(row.requests);
    key.errors += Number(row.errors);
    key.histogram[row.bucket] += Number(row.requests);
  }
  return totals;
}
