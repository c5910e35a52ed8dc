/**
 * Shared plumbing for the benchmarks: a throw-away database and Redis db, services started from
 * the compiled build, a key, latency statistics and the results files. Nothing here asserts:
 * benches print and record figures, with the targets beside them.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';
import { migrate } from '../../libs/database/src/cli/migrate';
import { ROOT, SERVICES, ServiceSpec } from '../../infra/dev/services';
import { waitUntilReady } from '../../infra/dev/wait-ready';
import { freePort } from '../../infra/dev/free-port';
import { BenchPostgres, startBenchPostgres } from './bench-postgres';
export { freePort };

export { ROOT };
export const REDIS_URL = process.env.BENCH_REDIS ?? 'redis://127.0.0.1:6379/12';
export const RESULTS_DIR = join(ROOT, 'bench', 'results');
export const LOG_DIR = join(ROOT, 'test-results', 'bench-logs');
/** Services run with NODE_ENV=production, which refuses the published JWT secret: one of its own per run, shared by all. */
const JWT_SECRET = randomBytes(32).toString('base64url');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const log = (line: string) => process.stdout.write(`${line}\n`);

let postgres: BenchPostgres | undefined;

/** Starts the PostgreSQL this run measures (see bench-postgres.ts); `defer` stops it last. */
export async function usePostgres(defer: (fn: () => unknown) => void): Promise<void> {
  const started = await startBenchPostgres(log);
  postgres = started;
  defer(() => started.stop());
}

function pgBase(): string {
  if (!postgres) throw new Error('usePostgres() must run before a bench database is made');
  return postgres.base;
}

/** The server the figures come from, for the results' header. */
export const postgresInUse = (): string => postgres?.describe ?? 'none';

/** A database of its own, migrated; `drop()` removes it (best effort, also on failure). */
export class BenchDatabase {
  readonly name: string;
  readonly url: string;

  constructor(label: string, existing?: string) {
    this.name = existing ?? `marquee_bench_${label}_${Date.now()}`;
    this.url = `${pgBase()}/${this.name}`;
  }

  async create(): Promise<void> {
    await migrate(this.url, () => undefined);
  }

  async client(): Promise<Client> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    return client;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = await this.client();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async drop(): Promise<void> {
    const admin = new Client({ connectionString: `${pgBase()}/postgres` });
    await admin.connect();
    try {
      await admin.query(`drop database if exists "${this.name}" with (force)`);
    } finally {
      await admin.end();
    }
  }
}

export async function flushRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
}

export interface RunningService {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * BENCH_CPU_PROF, a regular expression of service labels (bench-gateway, bench-keys, …): those
 * services run with --cpu-prof and write test-results/bench-prof/<label>.cpuprofile when they
 * stop, for Chrome DevTools or any .cpuprofile reader.
 */
const PROFILED = process.env.BENCH_CPU_PROF ? new RegExp(process.env.BENCH_CPU_PROF) : undefined;
const PROFILE_DIR = join(ROOT, 'test-results', 'bench-prof');

/** Starts one service from dist with its own port and waits for /ready. */
export async function startService(
  name: ServiceSpec['name'],
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  label: string = name,
): Promise<RunningService> {
  const spec = SERVICES.find((s) => s.name === name)!;
  const port = await freePort();
  mkdirSync(LOG_DIR, { recursive: true });
  const profile = PROFILED && PROFILED.test(label) ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${label}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), ...profile, join(ROOT, spec.entry)], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      PORT: String(port),
      SERVICE_NAME: label,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'bench-admin-password',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = createWriteStream(join(LOG_DIR, `${label}.log`));
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    await waitUntilReady([`${url}/ready`], 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${label} did not become ready (log: ${join(LOG_DIR, `${label}.log`)}): ${(error as Error).message}`);
  }
  return { name, url, port, child, stop };
}

/**
 * Creates an API key through the operator CLI and returns the raw key. The CLI asks identity
 * whether the owner is a verified developer, so identity runs for that moment only: nothing it
 * does is part of what the benches measure.
 */
export async function createKey(databaseUrl: string, plan = 'unlimited'): Promise<string> {
  const identity = await startService('identity', databaseUrl, {}, 'bench-identity');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(ROOT, 'dist/services/keys/src/cli/create-key.js'), '--owner', 'bench@gmail.com', '--plan', plan, '--name', 'bench',
    ], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL, LOG_LEVEL: 'error' } });
    return stdout.trim();
  } finally {
    await identity.stop();
  }
}

/** Percentile (nearest rank) of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The q-quantile of unsorted `xs`, interpolating between neighbours. */
export function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  return sorted[below] + (sorted[Math.min(below + 1, sorted.length - 1)] - sorted[below]) * (at - below);
}

/** An even count takes the mean of the middle two: either one alone favours a side. */
export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function machine(): Record<string, unknown> {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model,
    node: process.version,
    date: new Date().toISOString(),
    postgres: postgresInUse(),
  };
}

/**
 * Starts measuring the share of CPU time the hypervisor gave to other machines (`steal` in
 * /proc/stat); calling the result gives that share in % since. This VM's neighbours take 0–40 %,
 * which moves every figure here: results carry it so a run can be judged.
 */
export function stealMeter(): () => number {
  const read = () => {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { steal: fields[7] ?? 0, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
  };
  const start = read();
  return () => {
    const end = read();
    return round((100 * (end.steal - start.steal)) / Math.max(1, end.total - start.total), 1);
  };
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat times: 100 on every kernel we run on. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; 0 once it is gone. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

function pidsNamed(command: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === command;
    } catch {
      return false;
    }
  });
}

/**
 * Starts measuring where CPU time goes: each of `services` (label → pid), the measured
 * PostgreSQL's processes, every Redis process of the machine, and this process (the load
 * generator). Calling the result with the units of work done gives the CPU microseconds each used
 * per unit since (the same number as milliseconds per 1,000 units). Backends that exit in
 * between are not counted.
 */
export function cpuMeter(services: Record<string, number>): (units: number) => Record<string, number> {
  const read = () => {
    const byPid = (pids: number[]) => new Map(pids.map((pid) => [pid, cpuSecondsOf(pid)]));
    const self = process.cpuUsage();
    return {
      services: Object.fromEntries(Object.entries(services).map(([label, pid]) => [label, cpuSecondsOf(pid)])),
      // The bench's own server when it has one: the machine's may be serving someone else.
      postgres: byPid(postgres?.pids() ?? pidsNamed('postgres')),
      redis: byPid(pidsNamed('redis-server')),
      self: (self.user + self.system) / 1e6,
    };
  };
  const start = read();
  const spent = (end: Map<number, number>, begin: Map<number, number>) =>
    [...end].reduce((sum, [pid, seconds]) => sum + seconds - (begin.get(pid) ?? 0), 0);
  return (units) => {
    const end = read();
    const perUnit = (seconds: number) => round((seconds * 1e6) / Math.max(1, units), 1);
    return {
      ...Object.fromEntries(Object.keys(services).map((label) => [label, perUnit(end.services[label] - start.services[label])])),
      postgres: perUnit(spent(end.postgres, start.postgres)),
      redis: perUnit(spent(end.redis, start.redis)),
      load_generator: perUnit(end.self - start.self),
    };
  };
}

/** Writes bench/results/<name>.json and .md. */
export function writeResults(name: string, json: unknown, markdown: string): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, `${name}.md`), markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  log(`\nwritten: bench/results/${name}.md and .json`);
}

export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Runs `body`, then `cleanup` steps in reverse order whatever happened; bounded by `limitMs`. */
export async function withCleanup<T>(limitMs: number, body: (defer: (fn: () => Promise<unknown> | unknown) => void) => Promise<T>): Promise<T> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench exceeded its ${limitMs / 1000} s time limit`)), limitMs);
  });
  try {
    return await Promise.race([body((fn) => cleanups.push(fn)), timeout]);
  } finally {
    clearTimeout(timer);
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        log(`cleanup: ${(error as Error).message}`);
      }
    }
  }
}

/** Entry-point helper: run main, print a failure (figures are not verdicts), exit. */
export function runMain(main: () => Promise<unknown>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench failed to run: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
