/**
 * Search at 1,000,000 movies, measured through the real HTTP gateway (key check, quota and
 * metering included): p50/p95/p99 per search shape with its page meta, and deep paging by
 * cursor (5,000 pages deep) against page 1.
 *
 *   npm run bench:search        (BENCH_MOVIES=1000000, BENCH_SAMPLES=60 per shape)
 */
import { Agent, request } from 'node:http';
import { cursorFor, encodeCursor, MovieFilter, MovieSort, whereClause } from '../libs/catalog/src';
import { indexStatisticsTargets } from '../libs/database/src/index-statistics';
import {
  BenchDatabase, cpuMeter, createKey, flushRedis, log, machine, percentile, postgresInUse, round, runMain, startService, table, usePostgres,
  withCleanup, writeResults,
} from './lib/harness';
import { FIRST_NAMES, GENRES, generateMovies, LAST_NAMES, TITLE_WORDS } from './lib/generate-movies';

const MOVIES = Number(process.env.BENCH_MOVIES ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
const WARMUP = 5;
const TARGET_P95_MS = 30;
const TARGET_DEEP_RATIO = 2;
const DEEP_PAGE = 5000;
const LIMIT = 20;
/** A database kept afterwards, loaded on the first run and measured again without regenerating it. */
const REUSE_DB = process.env.BENCH_SEARCH_DB;
/** Only the shapes whose name matches this regular expression. */
const ONLY = process.env.BENCH_SHAPES ? new RegExp(process.env.BENCH_SHAPES, 'i') : undefined;

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  ms: number;
  body: { meta?: { total: number; total_estimated: boolean; next_cursor: string | null }; data?: unknown[] };
}

function get(base: string, path: string, key: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(`${base}${path}`, { agent, headers: { 'x-api-key': key } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        resolve({ status: res.statusCode ?? 0, ms, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)];
const lower = (s: string) => s.toLowerCase();
const year = () => 1900 + Math.floor(Math.random() * 126);
const qs = (params: Record<string, string | number | undefined>) =>
  Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');

interface Shape {
  name: string;
  path: () => string;
}

const { adjectives, nouns, tails } = TITLE_WORDS;
const search = (p: Record<string, string | number | undefined>) => `/search?${qs(p)}`;
const fullName = () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;

const SHAPES: Shape[] = [
  { name: 'list, page 1 (sort id)', path: () => '/movies' },
  { name: 'list, page 1, sort title', path: () => '/movies?sort=title' },
  { name: 'list, page 1, sort -year', path: () => '/movies?sort=-year' },
  { name: 'list, page 500 (deepest numbered)', path: () => '/movies?page=500' },
  { name: 'title: common word', path: () => search({ title: lower(pick(nouns)) }) },
  { name: 'title: two words (rare)', path: () => search({ title: `${lower(pick(adjectives))} ${lower(pick(nouns))}` }) },
  { name: 'title: 3 letters', path: () => search({ title: lower(pick(nouns)).slice(1, 4) }) },
  { name: 'title: full title', path: () => search({ title: `${pick(adjectives)} ${pick(nouns)} ${pick(tails)}` }) },
  { name: 'title: no match', path: () => search({ title: `zzq${Math.floor(Math.random() * 1e6)}` }) },
  { name: 'genre', path: () => search({ genre: lower(pick(GENRES)) }) },
  { name: 'year', path: () => search({ year: year() }) },
  { name: 'year range: decade', path: () => { const y = year(); return search({ year_from: y, year_to: y + 9 }); } },
  { name: 'year range: open (year_from)', path: () => search({ year_from: year() }) },
  { name: 'director: full name', path: () => search({ director: fullName() }) },
  { name: 'director: surname', path: () => search({ director: pick(LAST_NAMES) }) },
  { name: 'actor: full name', path: () => search({ actor: fullName() }) },
  { name: 'actor: surname', path: () => search({ actor: pick(LAST_NAMES) }) },
  { name: 'genre + year', path: () => search({ genre: pick(GENRES), year: year() }) },
  { name: 'genre + decade', path: () => { const y = year(); return search({ genre: pick(GENRES), year_from: y, year_to: y + 9 }); } },
  { name: 'title word + genre', path: () => search({ title: lower(pick(nouns)), genre: pick(GENRES) }) },
  { name: 'title word + year', path: () => search({ title: lower(pick(nouns)), year: year() }) },
  { name: 'title word + decade + genre', path: () => { const y = year(); return search({ title: lower(pick(nouns)), year_from: y, year_to: y + 9, genre: pick(GENRES) }); } },
  { name: 'director surname + genre', path: () => search({ director: pick(LAST_NAMES), genre: pick(GENRES) }) },
  { name: 'actor full name + decade', path: () => { const y = year(); return search({ actor: fullName(), year_from: y, year_to: y + 9 }); } },
  { name: 'actor surname + director surname', path: () => search({ actor: pick(LAST_NAMES), director: pick(LAST_NAMES) }) },
  ...(['title', '-title', 'year', '-year', 'id'] as const).flatMap((sort) => [
    { name: `genre, sort ${sort}`, path: () => search({ genre: pick(GENRES), sort }) },
    { name: `title word, sort ${sort}`, path: () => search({ title: lower(pick(nouns)), sort }) },
    { name: `decade, sort ${sort}`, path: () => { const y = year(); return search({ year_from: y, year_to: y + 9, sort }); } },
  ]),
];

interface ShapeResult {
  shape: string;
  example: string;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non200: number;
  estimated_share: number;
  /** CPU ms per request of the gateway and PostgreSQL: unlike latency, not inflated by others waiting for the cores. */
  server_cpu_ms: number;
  median_total: number;
}

async function measureShape(base: string, key: string, shape: Shape, gatewayPid: number, samples = SAMPLES): Promise<ShapeResult> {
  for (let i = 0; i < WARMUP; i += 1) await get(base, shape.path(), key);
  const cpu = cpuMeter({ gateway: gatewayPid });
  const times: number[] = [];
  const totals: number[] = [];
  let estimated = 0;
  let non200 = 0;
  let example = '';
  for (let i = 0; i < samples; i += 1) {
    const path = shape.path();
    example ||= path;
    const a = await get(base, path, key);
    times.push(a.ms);
    if (a.status !== 200) non200 += 1;
    if (a.body.meta) {
      totals.push(a.body.meta.total);
      if (a.body.meta.total_estimated) estimated += 1;
    }
  }
  const spent = cpu(samples);
  times.sort((a, b) => a - b);
  totals.sort((a, b) => a - b);
  return {
    shape: shape.name, example,
    p50: round(percentile(times, 50), 1), p95: round(percentile(times, 95), 1), p99: round(percentile(times, 99), 1),
    max: round(times[times.length - 1], 1), non200, estimated_share: round(estimated / samples, 2),
    median_total: totals.length ? totals[Math.floor(totals.length / 2)] : 0,
    server_cpu_ms: round((spent.gateway + spent.postgres) / 1000, 1),
  };
}

interface LoadTimings {
  generate_s: number;
  generate_rows_per_s: number;
  indexes_s: number;
  vacuum_analyze_s: number;
}

/** Creates the movies with only the primary key and unique constraint, then builds the other indexes. */
async function load(db: BenchDatabase): Promise<LoadTimings> {
  const client = await db.client();
  const timings: LoadTimings = { generate_s: 0, generate_rows_per_s: 0, indexes_s: 0, vacuum_analyze_s: 0 };
  try {
    const indexes = (await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where tablename = 'movies'
         and indexname not in ('movies_pkey', 'movies_title_key_year_key')`)).rows;
    // Dropping an index drops its statistics targets: the spaceless trigram indexes' 1,000
    // (migrations SearchSpacelessTrigrams, PeopleTrigramIndex) are what the planner estimates a
    // word or a name from.
    const targets = await indexStatisticsTargets(client, 'movies');
    for (const i of indexes) await client.query(`drop index ${i.indexname}`);
    let t = Date.now();
    const rate = await generateMovies(client, MOVIES, (n) => log(`  generated ${n.toLocaleString('en')} movies`));
    timings.generate_s = round((Date.now() - t) / 1000, 1);
    timings.generate_rows_per_s = Math.round(rate);
    t = Date.now();
    await client.query(`set maintenance_work_mem = '512MB'`);
    for (const i of indexes) await client.query(i.indexdef);
    for (const { index, column, target } of targets) await client.query(`alter index ${index} alter column ${column} set statistics ${target}`);
    timings.indexes_s = round((Date.now() - t) / 1000, 1);
    t = Date.now();
    await client.query('vacuum analyze movies');
    // The load leaves hundreds of MB of dirty buffers; without a checkpoint the first queries
    // would pay for writing them out, which no reader of a settled catalogue pays.
    await client.query('checkpoint');
    timings.vacuum_analyze_s = round((Date.now() - t) / 1000, 1);
    log(`  loaded in ${timings.generate_s} s (${timings.generate_rows_per_s} rows/s), indexes ${timings.indexes_s} s (${indexes.map((i) => i.indexname).join(', ')}), vacuum analyze ${timings.vacuum_analyze_s} s`);
  } finally {
    await client.end();
  }
  return timings;
}

/**
 * Reads the catalogue and its indexes into PostgreSQL's buffers, where a server that has been
 * answering searches holds them (and where autoprewarm, in infra/postgres/marquee.conf, puts
 * them back after a restart). The bench's server starts with empty buffers, and a page read
 * from the OS costs ~40 µs here: a first search of a name and a decade took 32 ms, not 7.
 */
async function prewarm(db: BenchDatabase): Promise<{ prewarm_mb: number; prewarm_s: number }> {
  const started = Date.now();
  await db.query('create extension if not exists pg_prewarm');
  const [{ pages }] = await db.query<{ pages: string }>(
    `select sum(pg_prewarm(oid)) as pages from pg_class
      where oid = 'movies'::regclass or oid in (select indexrelid from pg_index where indrelid = 'movies'::regclass)`);
  const warmed = { prewarm_mb: Math.round((Number(pages) * 8) / 1024), prewarm_s: round((Date.now() - started) / 1000, 1) };
  log(`  prewarmed ${warmed.prewarm_mb} MB of catalogue and indexes in ${warmed.prewarm_s} s`);
  return warmed;
}

/** The row ending page `page` of `filter` sorted by `sort`, as a cursor: what walking there would hand back. */
async function cursorAtPage(db: BenchDatabase, filter: MovieFilter, sort: MovieSort, page: number): Promise<string> {
  const where = whereClause(filter);
  let n = 0;
  const sql = where.sql.replace(/\?/g, () => `$${(n += 1)}`);
  const column = sort.replace('-', '');
  const dir = sort.startsWith('-') ? 'desc' : 'asc';
  const order = column === 'id' ? `id ${dir}` : `${column} ${dir}, id ${dir}`;
  const rows = await db.query<{ id: string; title: string; year: number }>(
    `select id, title, year from movies ${sql} order by ${order} offset ${page * LIMIT - 1} limit 1`, where.params);
  return encodeCursor(cursorFor(sort, rows[0]));
}

async function main(): Promise<void> {
  await withCleanup(20 * 60_000, async (defer) => {
    await usePostgres(defer);
    log(`search: ${MOVIES.toLocaleString('en')} movies, ${SAMPLES} sequential requests per shape (after ${WARMUP} warm-up), limit ${LIMIT}`);
    await flushRedis();
    const db = new BenchDatabase('search', REUSE_DB);
    await db.create();
    if (!REUSE_DB) defer(() => db.drop());
    const loaded = REUSE_DB && Number((await db.query<{ n: string }>('select count(*) as n from movies'))[0].n) > 0;
    const loadTimings = {
      ...(loaded ? { generate_s: 0, generate_rows_per_s: 0, indexes_s: 0, vacuum_analyze_s: 0 } : await load(db)),
      ...(await prewarm(db)),
    };

    const keys = await startService('keys', db.url, {}, 'bench-search-keys');
    defer(() => keys.stop());
    const gateway = await startService('gateway', db.url, {}, 'bench-search-gateway');
    defer(() => gateway.stop());
    const key = await createKey(db.url, 'unlimited');

    const results: ShapeResult[] = [];
    for (const shape of SHAPES.filter((s) => !ONLY || ONLY.test(s.name))) {
      const r = await measureShape(gateway.url, key, shape, gateway.child.pid!);
      results.push(r);
      log(`  ${r.shape.padEnd(36)} p50 ${String(r.p50).padStart(6)}  p95 ${String(r.p95).padStart(6)}  p99 ${String(r.p99).padStart(6)} ms` +
        `  cpu ${String(r.server_cpu_ms).padStart(5)} ms  total≈${r.median_total}${r.estimated_share > 0 ? ` (estimated ${Math.round(r.estimated_share * 100)} %)` : ''}${r.non200 ? `  non-200: ${r.non200}` : ''}`);
    }

    // Deep paging: page 1 against the page 5,000 deep reached by cursor (computed from the row
    // that ends page 4,999, exactly what walking would hand back), per sort and filter.
    const deepCases: { name: string; filter: MovieFilter; sort: MovieSort; base: string; depth?: number }[] = [
      { name: 'list, sort id', filter: {}, sort: 'id', base: '/movies?sort=id' },
      { name: 'list, sort title', filter: {}, sort: 'title', base: '/movies?sort=title' },
      { name: 'list, sort -year', filter: {}, sort: '-year', base: '/movies?sort=-year' },
      { name: 'search year_from=1950, sort title', filter: { yearFrom: 1950 }, sort: 'title', base: '/search?year_from=1950&sort=title' },
      // genre=drama holds ~100k of the 1M rows: its page 5,000 (row 100,000) may not exist, so half as deep.
      { name: 'search genre=drama, sort -year', filter: { genre: 'drama' }, sort: '-year', base: '/search?genre=drama&sort=-year', depth: DEEP_PAGE / 2 },
      { name: 'search year 1950–2025, sort year', filter: { yearFrom: 1950, yearTo: 2025 }, sort: 'year', base: '/search?year_from=1950&year_to=2025&sort=year' },
    ];
    const deep: { case: string; depth: number; page1_p95: number; deep_p95: number; ratio: number; deep_rows: number }[] = [];
    for (const c of deepCases.filter((d) => !ONLY || ONLY.test(d.name))) {
      const depth = c.depth ?? DEEP_PAGE;
      const cursor = await cursorAtPage(db, c.filter, c.sort, depth - 1);
      const first = await measureShape(gateway.url, key, { name: `${c.name}: page 1`, path: () => c.base }, gateway.child.pid!);
      const deepPath = `${c.base}&cursor=${cursor}`;
      const deeper = await measureShape(gateway.url, key, { name: `${c.name}: page ${depth} by cursor`, path: () => deepPath }, gateway.child.pid!);
      const check = await get(gateway.url, deepPath, key);
      const row = { case: c.name, depth, page1_p95: first.p95, deep_p95: deeper.p95, ratio: round(deeper.p95 / first.p95, 2), deep_rows: check.body.data?.length ?? 0 };
      deep.push(row);
      log(`  deep ${c.name.padEnd(32)} page 1 p95 ${first.p95} ms, page ${depth} p95 ${deeper.p95} ms (${row.ratio}×, ${row.deep_rows} rows)`);
    }
    // Walking the cursor for real, a few hundred pages, to show a page costs the same at any depth.
    const walk: number[] = [];
    let next: string | null = null;
    for (let i = 0; i < 200; i += 1) {
      const a: Answer = await get(gateway.url, `/search?genre=drama&sort=title${next ? `&cursor=${next}` : ''}`, key);
      walk.push(a.ms);
      next = a.body.meta?.next_cursor ?? null;
      if (!next) break;
    }
    const walkFirst10 = round(walk.slice(0, 10).reduce((a, b) => a + b, 0) / 10, 1);
    const walkLast10 = round(walk.slice(-10).reduce((a, b) => a + b, 0) / 10, 1);
    const tooDeep = await get(gateway.url, `/movies?page=${DEEP_PAGE}`, key);

    const worst = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    const deepWorst = deep.reduce((a, b) => (b.ratio > a.ratio ? b : a), { ratio: 0 });
    const md = [
      `# Search at ${MOVIES.toLocaleString('en')} movies, through the HTTP gateway`,
      '',
      `${new Date().toISOString()} · ${machine().cpus} cores · node ${process.version} · ${postgresInUse()} · ${SAMPLES} sequential requests per shape ` +
        `after ${WARMUP} warm-up, parameter values drawn at random per request · limit ${LIMIT} · latency seen by the client ` +
        '(key check, quota, metering, page query and its total) · server CPU: the gateway\'s and PostgreSQL\'s per request, ' +
        'the mean, which others waiting for the cores does not inflate as it does latency · target p95 ≤ 30 ms',
      '',
      `Load: ${loadTimings.generate_s} s to generate (${loadTimings.generate_rows_per_s.toLocaleString('en')} rows/s), ` +
        `${loadTimings.indexes_s} s to build the indexes, ${loadTimings.vacuum_analyze_s} s for VACUUM ANALYZE; ` +
        `${loadTimings.prewarm_mb} MB of catalogue and indexes read into the buffers (pg_prewarm) in ${loadTimings.prewarm_s} s.`,
      '',
      table(['shape', 'example', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'server CPU ms', 'median total', 'total estimated', 'p95 ≤ 30 ms'],
        results.map((r) => [r.shape, `\`${r.example}\``, r.p50, r.p95, r.p99, r.max, r.server_cpu_ms, r.median_total, `${Math.round(r.estimated_share * 100)} %`,
          r.p95 <= TARGET_P95_MS ? 'yes' : '**no**'])),
      '',
      `Worst shape: ${worst.shape}, p95 ${worst.p95} ms (target ≤ ${TARGET_P95_MS} ms).`,
      '',
      `## Deep paging: page ${DEEP_PAGE} by cursor vs page 1 (target ≤ ${TARGET_DEEP_RATIO}×)`,
      '',
      table(['case', 'page 1 p95 ms', 'deep page', 'deep page p95 ms', 'ratio', 'rows on the deep page'],
        deep.map((d) => [d.case, d.page1_p95, d.depth, d.deep_p95, `${d.ratio}×`, d.deep_rows])),
      '',
      `Walking the cursor of genre=drama sort=title for ${walk.length} pages: first 10 pages ${walkFirst10} ms each, last 10 ${walkLast10} ms each. ` +
        `A numbered page past MAX_OFFSET (\`/movies?page=${DEEP_PAGE}\`) answers ${tooDeep.status}.`,
    ].join('\n');
    log(`\n${md}`);
    writeResults('search', {
      bench: 'search', machine: machine(), settings: { movies: MOVIES, samples: SAMPLES, warmup: WARMUP, limit: LIMIT, deep_page: DEEP_PAGE },
      load: loadTimings, shapes: results, deep, walk: { pages: walk.length, first10_ms: walkFirst10, last10_ms: walkLast10 },
      too_deep_status: tooDeep.status,
      figures: { worst_shape: worst.shape, worst_p95_ms: worst.p95, worst_deep_ratio: deepWorst.ratio },
      targets: { p95_max_ms: TARGET_P95_MS, deep_ratio_max: TARGET_DEEP_RATIO },
    }, md);
  });
}

runMain(main);
