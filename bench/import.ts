/**
 * A 1,000,000-row CSV merged into an empty catalogue end to end: uploaded through
 * POST /admin/api/imports, streamed to disk, parsed, validated, COPYed and indexed by the
 * ingestion worker. Twice: alone (the import's own speed), then under a fixed light load on the
 * public API, whose p99 is compared with the same load before any import.
 *
 *   npm run bench:import            (BENCH_IMPORT_ROWS=1000000, BENCH_PROBE_RATE=200 req/s, BENCH_IMPORT_ROUNDS=1)
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import autocannon from 'autocannon';
import {
  BenchDatabase, createKey, flushRedis, log, LOG_DIR, machine, postgresInUse, round, runMain, sleep, startService, stealMeter, table,
  usePostgres, withCleanup, writeResults,
} from './lib/harness';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const PROBE_RATE = Number(process.env.BENCH_PROBE_RATE ?? 200);
const PROBE_CONNECTIONS = 10;
const IDLE_SECONDS = 15;
const POLL_MS = 500;
/** Pairs of imports (alone, under the probe); the table shows the median pair, and lists every one. */
const ROUNDS = Number(process.env.BENCH_IMPORT_ROUNDS ?? 1);

const TARGET_ROWS_PER_S = 50_000;
const TARGET_RSS_MB = 300;
const TARGET_P99_RATIO = 3;

const GENRES = ['Drama', 'Comedy', 'Action', 'Horror', 'Romance', 'Thriller', 'Documentary', 'Animation'];

/** Writes the CSV with backpressure: rows like a real export (quoted lists, a plot, a poster URL). */
async function writeCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('title,year,genre,director,actors,plot,poster_url\n');
  for (let i = 0; i < rows; i += 1) {
    const line = `Bench Movie ${i},${1900 + (i % 125)},"${GENRES[i % 8]}, ${GENRES[(i + 3) % 8]}",Director ${i % 5000},"Actor ${i % 700}, Actor ${i % 900}",`
      + `A plot for movie ${i}.,https://posters.example/${i}.jpg\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

/**
 * Uploads from a child process: sending 140 MB from the bench's own event loop stalled the probe
 * running in it, and the probe counted those stalls as the API's latency.
 */
async function uploadCsv(url: string, authorization: string, path: string): Promise<{ status: number; body: string }> {
  const script = `
    const [url, authorization, path] = process.argv.slice(1);
    (async () => {
      const form = new FormData();
      form.append('mode', 'merge');
      form.append('file', await require('node:fs').openAsBlob(path, { type: 'text/csv' }), 'bench.csv');
      const answer = await fetch(url, { method: 'POST', headers: { authorization }, body: form });
      process.stdout.write(JSON.stringify({ status: answer.status, body: await answer.text() }));
    })();`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, url, authorization, path], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { status: number; body: string };
}

async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return round(kb / 1024, 1);
}

interface Answer { at: number; ms: number }
interface Probe { p50: number; p99: number; max: number; requests: number; non2xx: number; errors: number; status5xx: number; answers: Answer[] }

/** Answers slower than this are listed with when they came, to tell which phase of the import they fall in. */
const SLOW_MS = 100;

/** Latency percentiles of the answers that came between `from` and `to` (the import, not the polling after it). */
function window(answers: Answer[], from: number, to: number) {
  const ms = answers.filter((a) => a.at >= from && a.at <= to).map((a) => a.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)] ?? NaN;
  return {
    p50: round(at(0.5), 1), p99: round(at(0.99), 1), max: round(ms[ms.length - 1] ?? NaN, 1), requests: ms.length,
    slow: answers.filter((a) => a.at >= from && a.at <= to && a.ms > SLOW_MS).map((a) => ({ at: a.at - from, ms: round(a.ms, 1) })),
  };
}

/** A fixed offered load (not saturating) on the public API; `stop()` ends it early. */
function probe(url: string, key: string, seconds: number) {
  let resolveDone: (p: Probe) => void = () => undefined;
  let rejectDone: (e: Error) => void = () => undefined;
  const answers: Answer[] = [];
  const done = new Promise<Probe>((resolve, reject) => { resolveDone = resolve; rejectDone = reject; });
  const instance = autocannon({
    url, connections: PROBE_CONNECTIONS, overallRate: PROBE_RATE, duration: seconds, headers: { 'x-api-key': key },
    // A page whose cost does not grow with the catalogue (an index walk of at most 500 rows), so the
    // comparison shows what the import costs the API, not what searching a million movies costs.
    requests: [{ setupRequest: (req) => ({ ...req, path: `/movies?sort=title&limit=10&page=${1 + Math.floor(Math.random() * 50)}` }) }],
  }, (error, r) => {
    if (error) return rejectDone(error);
    resolveDone({ p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts, status5xx: r['5xx'], answers });
  });
  instance.on('response', (_client, _status, _bytes, ms: number) => {
    answers.push({ at: Date.now(), ms });
  });
  return { done, stop: () => instance.stop() };
}

async function main(): Promise<void> {
  await withCleanup(20 * 60_000, async (defer) => {
    await usePostgres(defer);
    log(`import: ${ROWS.toLocaleString()} rows merged into an empty catalogue through the upload endpoint; API probe ${PROBE_RATE} req/s`);
    const loadBefore = loadavg()[0].toFixed(2);
    await flushRedis();
    const db = new BenchDatabase('import');
    await db.create();
    defer(() => db.drop());
    const dataDir = await mkdtemp(join(tmpdir(), 'marquee-bench-import-'));
    defer(() => rm(dataDir, { recursive: true, force: true }));

    const csvPath = join(dataDir, 'bench.csv');
    const generating = Date.now();
    const bytes = await writeCsv(csvPath, ROWS);
    log(`  generated ${round(bytes / 1e6, 1)} MB in ${Date.now() - generating} ms`);

    // No starter catalogue: the import lands in an empty one.
    const env = { DATA_DIR: dataDir, STARTER_CATALOGUE: join(dataDir, 'none.csv'), UPLOAD_MAX_BYTES: String(bytes + 1_000_000) };
    const services = [];
    for (const name of ['identity', 'keys', 'ingestion', 'gateway'] as const) {
      // ingestion logs how long reading+staging and merging took.
      const service = await startService(name, db.url, name === 'ingestion' ? { ...env, LOG_LEVEL: 'info' } : env, `bench-import-${name}`);
      defer(() => service.stop());
      services.push(service);
    }
    const [, , ingestion, gateway] = services;
    const key = await createKey(db.url, 'unlimited');
    const login = await fetch(`${gateway.url}/admin/api/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }),
    });
    const token = ((await login.json()) as { access_token: string }).access_token;
    const admin = { authorization: `Bearer ${token}` };

    const rssBefore = await peakRssMb(ingestion.child.pid!);
    const idle = await probe(gateway.url, key, IDLE_SECONDS).done;
    log(`  idle API: p50 ${idle.p50} ms, p99 ${idle.p99} ms over ${idle.requests} requests`);

    /** Uploads the CSV and waits for its import; with `probing`, the API is under the probe meanwhile. */
    const importOnce = async (probing: boolean) => {
      // Each run starts from an empty catalogue, the first load being measured.
      await db.query('truncate movies');
      await db.query('vacuum movies');
      const during = probing ? probe(gateway.url, key, 600) : undefined;
      const stolen = stealMeter();
      const started = Date.now();
      const upload = await uploadCsv(`${gateway.url}/admin/api/imports`, admin.authorization, csvPath);
      const uploadedMs = Date.now() - started;
      if (upload.status !== 202) throw new Error(`upload answered ${upload.status}: ${upload.body}`);
      const { id } = JSON.parse(upload.body) as { id: string };
      log(`  ${probing ? 'under the probe' : 'alone'}: upload answered 202 after ${uploadedMs} ms`);

      let detail: { status: string; attempts: number; started_at: string; finished_at: string; failure: string | null; counts: Record<string, number>; progress: { rows_done: number } };
      const timeline: string[] = [];
      let last = '';
      for (;;) {
        detail = (await (await fetch(`${gateway.url}/admin/api/imports/${id}`, { headers: admin })).json()) as typeof detail;
        const phase = `${detail.status} attempt ${detail.attempts}${detail.progress.rows_done >= ROWS ? ' all rows read' : ''}`;
        if (phase !== last) {
          timeline.push(`${Date.now() - started} ms: ${phase}`);
          log(`    ${timeline[timeline.length - 1]}`);
          last = phase;
        }
        if (detail.status === 'completed' || detail.status === 'failed') break;
        // Every poll costs the gateway, ingestion and PostgreSQL a little of the CPU the import runs
        // on; the end is timed by the import's own finished_at, so polling every half second costs no precision.
        await sleep(POLL_MS);
      }
      if (detail.status !== 'completed') throw new Error(`import failed: ${detail.failure}`);
      const endToEndMs = Date.parse(detail.finished_at) - started;
      const stealPct = stolen();
      during?.stop();
      const probed = await during?.done;
      const importing = probed && window(probed.answers, started, started + endToEndMs);
      await sleep(500);
      const ingestionLog = await readFile(join(LOG_DIR, 'bench-import-ingestion.log'), 'utf8');
      const phases = new RegExp(`import ${id} \\(([a-z ]+)\\): (\\d+) rows read and staged in (\\d+) ms, merged in (\\d+) ms`).exec(ingestionLog);
      const [{ n: movies }] = await db.query<{ n: number }>('select count(*)::int as n from movies');
      const workerMs = Date.parse(detail.finished_at) - Date.parse(detail.started_at);
      return {
        counts: detail.counts, movies_after: movies, upload_ms: uploadedMs, end_to_end_ms: endToEndMs, worker_ms: workerMs,
        rows_per_s_end_to_end: round(ROWS / (endToEndMs / 1000), 0), rows_per_s_worker: round(ROWS / (workerMs / 1000), 0),
        steal_pct: stealPct, route: phases?.[1] ?? '?', staged_ms: Number(phases?.[3] ?? NaN), merged_ms: Number(phases?.[4] ?? NaN), timeline,
        api: probed && importing && { ...importing, errors: probed.errors, status5xx: probed.status5xx, probe_requests: probed.requests },
      };
    };

    const rounds = [];
    while (rounds.length < ROUNDS) {
      const first = await importOnce(false);
      const second = await importOnce(true);
      rounds.push({ alone: first, loaded: second, p99Ratio: round(second.api!.p99 / Math.max(idle.p99, 1), 2) });
    }
    const median = <T>(items: T[], by: (item: T) => number): T => [...items].sort((a, b) => by(a) - by(b))[Math.floor((items.length - 1) / 2)];
    const { alone } = median(rounds, (r) => r.alone.rows_per_s_end_to_end);
    const { loaded, p99Ratio } = median(rounds, (r) => r.loaded.rows_per_s_end_to_end);
    const rssPeak = await peakRssMb(ingestion.child.pid!);
    const api = loaded.api!;
    const figures = {
      rows: ROWS, bytes, rounds: ROUNDS, alone, under_probe: loaded, every_round: rounds, worker_peak_rss_mb: rssPeak, worker_rss_before_mb: rssBefore,
      api_idle: { ...idle, answers: undefined }, api_p99_ratio: p99Ratio,
    };
    const row = (label: string, r: typeof alone): string[] => [
      `${label}: rows/s end to end (upload start → the import's finished_at)`, String(r.rows_per_s_end_to_end), `≥ ${TARGET_ROWS_PER_S.toLocaleString()}`,
    ];
    const split = (r: typeof alone) => `${r.upload_ms} upload · ${r.staged_ms} read, validate and COPY · ${r.merged_ms} index, analyze and swap in (${r.end_to_end_ms} in all) · CPU stolen by the hypervisor ${r.steal_pct} %`;
    const md = [
      '# Import: 1,000,000-row CSV merged into an empty catalogue, end to end',
      '',
      `${new Date().toISOString()} · ${machine().cpus} cores · node ${process.version} · ${postgresInUse()} · ${round(bytes / 1e6, 1)} MB CSV uploaded through ` +
        `POST /admin/api/imports (multipart, streamed to DATA_DIR/uploads) · ingestion worker (${alone.route}): parse → validate → COPY → index → swap ` +
        `· API probe: ${PROBE_RATE} req/s offered on /movies?sort=title&limit=10&page=1..50 (cost independent of the catalogue's size), ${PROBE_CONNECTIONS} connections · the gateway, ingestion, keys, ` +
        `PostgreSQL, Redis and the bench share the machine with other engineers' work (load average ${loadBefore} at the start, ${loadavg()[0].toFixed(2)} at the end)`,
      '',
      table(['figure', 'measured', 'target'], [
        ...(ROUNDS > 1 ? [[`every round: rows/s alone / under the probe (CPU stolen), API p99 ratio`,
          rounds.map((r) => `${r.alone.rows_per_s_end_to_end} (${r.alone.steal_pct} %) / ${r.loaded.rows_per_s_end_to_end} (${r.loaded.steal_pct} %), ${r.p99Ratio}×`).join('; '), '—']] : []),
        row(ROUNDS > 1 ? 'alone, median' : 'alone', alone),
        ['alone: time split (ms)', split(alone), '—'],
        row(ROUNDS > 1 ? 'under the API probe, median' : 'under the API probe', loaded),
        ['under the API probe: time split (ms)', split(loaded), '—'],
        ['worker peak RSS (VmHWM, whole ingestion process, every import)', `${rssPeak} MB (${rssBefore} MB before)`, `≤ ${TARGET_RSS_MB} MB`],
        ['API p99 idle → during the import (upload start → finished_at)', `${idle.p99} → ${api.p99} ms (${p99Ratio}×)`, `≤ ${TARGET_P99_RATIO}×`],
        ['API p50 idle → during the import', `${idle.p50} → ${api.p50} ms`, '—'],
        [`API answers over ${SLOW_MS} ms during the import (ms after the upload started: latency)`,
          api.slow.length === 0 ? 'none' : api.slow.slice(0, 12).map((r) => `${r.at}: ${r.ms}`).join(', ') + (api.slow.length > 12 ? ` … (${api.slow.length})` : ''), '—'],
        ['API 5xx / errors during the import', `${api.status5xx} / ${api.errors} of ${api.probe_requests}`, '0'],
        ['import counts (each run)', `inserted ${loaded.counts.inserted}, rejected ${loaded.counts.rejected}, movies after ${loaded.movies_after}`, `inserted ${ROWS}`],
      ]),
    ].join('\n');
    log(`\n${md}`);
    writeResults('import', { bench: 'import', machine: machine(), settings: { rows: ROWS, probe_rate: PROBE_RATE, probe_connections: PROBE_CONNECTIONS }, figures }, md);
  });
}

runMain(main);
