import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { ROOT, SERVICES, ServiceSpec } from '../../infra/dev/services';
import { waitUntilReady } from '../../infra/dev/wait-ready';
import { freePort } from '../../infra/dev/free-port';
import { PG_SERVER, redisUrl as redisDbUrl } from './servers';
export { freePort };

export interface StackInfo {
  databaseUrl: string;
  redisUrl: string;
  gateways: string[];
  services: Record<string, string>;
  pids: number[];
  adminUsername: string;
  adminPassword: string;
}

export const STACK_FILE = join(ROOT, 'test-results', 'e2e-stack.json');


/**
 * The whole system as separate processes from the compiled build, on a database and Redis
 * db of its own: identity, keys, ingestion and `gateways` gateway replicas.
 */
export interface StackOptions {
  gateways: number;
  /** Replicas of the keys service (RPC requests must reach exactly one of them). */
  keysReplicas?: number;
  redisDb: number;
  name: string;
  /** What the services connect to, when not the real servers directly (a test's cuttable proxy). */
  servicePorts?: { postgres: number; redis: number };
  env?: Record<string, string>;
}

export interface RunningStack extends StackInfo {
  processes: ChildProcess[];
  /** The process of each service by label (`<name>-ingestion`, `<name>-gateway-1`, ...). */
  byLabel: Record<string, ChildProcess>;
  /** Starts one more process of a service on the same database and Redis (a replacement after a kill). */
  spawnService(name: ServiceSpec['name'], label: string): Promise<{ url: string; process: ChildProcess }>;
}

/**
 * Migrates from a child process, as `npm run migrate` does. Jest's own process must not load
 * MikroORM: its metadata store lives on globalThis, and jest-environment-node hands every test
 * file the globals it finds there, so one file's entity metadata (Maps of its module realm)
 * reached another's discovery, which failed ("Map.prototype.set called on incompatible
 * receiver") in some orders of the test files.
 */
async function migrateApart(databaseUrl: string): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'dist/libs/database/src/cli/migrate.main.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const dbName = `${options.name}_${Date.now()}`;
  const databaseUrl = `${PG_SERVER}/${dbName}`;
  const redisUrl = redisDbUrl(options.redisDb);
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  redis.disconnect();
  await migrateApart(databaseUrl);
  const via = options.servicePorts;

  const logs = join(ROOT, 'test-results', 'logs');
  mkdirSync(logs, { recursive: true });
  const base = {
    ...process.env,
    DATABASE_URL: via ? `postgres://postgres@127.0.0.1:${via.postgres}/${dbName}` : databaseUrl,
    REDIS_URL: via ? `redis://127.0.0.1:${via.redis}/${options.redisDb}` : redisUrl,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'e2e-admin-password',
    USAGE_FLUSH_MS: '100',
    // The tests stand in for a proxy on loopback: their X-Forwarded-For names the client.
    TRUST_PROXY: '127.0.0.1',
    ...options.env,
  };
  const processes: ChildProcess[] = [];
  const byLabel: Record<string, ChildProcess> = {};
  const services: Record<string, string> = {};
  const gateways: string[] = [];
  const start = async (spec: ServiceSpec, label: string) => {
    const port = await freePort();
    const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), join(ROOT, spec.entry)], {
      cwd: ROOT,
      env: { ...base, PORT: String(port), SERVICE_NAME: label },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(join(logs, `${label}.log`));
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    processes.push(child);
    byLabel[label] = child;
    return `http://127.0.0.1:${port}`;
  };
  for (const spec of SERVICES) {
    if (spec.name === 'gateway') {
      for (let i = 0; i < options.gateways; i += 1) gateways.push(await start(spec, `${options.name}-gateway-${i + 1}`));
    } else if (spec.name === 'keys' && (options.keysReplicas ?? 1) > 1) {
      services.keys = await start(spec, `${options.name}-keys`);
      for (let i = 2; i <= options.keysReplicas!; i += 1) services[`keys-${i}`] = await start(spec, `${options.name}-keys-${i}`);
    } else {
      services[spec.name] = await start(spec, `${options.name}-${spec.name}`);
    }
  }
  try {
    await waitUntilReady([...Object.values(services), ...gateways].map((u) => `${u}/ready`), 60_000);
  } catch (error) {
    // Left running, a half-started stack would serve the next run's queues and RPC on the same Redis db.
    for (const child of processes) child.kill('SIGKILL');
    throw error;
  }
  return {
    databaseUrl, redisUrl, gateways, services, processes, byLabel,
    spawnService: async (name, label) => {
      const url = await start(SERVICES.find((spec) => spec.name === name)!, label);
      await waitUntilReady([`${url}/ready`], 60_000);
      return { url, process: byLabel[label] };
    },
    pids: processes.map((p) => p.pid!),
    adminUsername: 'admin', adminPassword: 'e2e-admin-password',
  };
}
