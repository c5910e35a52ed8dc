/**
 * The benchmarks' own PostgreSQL cluster, run with infra/postgres/marquee.conf and postgres.env,
 * the settings and environment docker-compose deploys: the machine's PostgreSQL keeps the
 * distribution's defaults (128 MB of buffers), which is not what production runs.
 * `BENCH_PG=<url>` measures an existing server instead.
 *
 * The cluster's data directory is kept between runs (a kept search catalogue lives there), the
 * server runs only while a bench does. Huge pages for its buffers are reserved when this process
 * may (`vm.nr_hugepages`, as a production host would in sysctl.conf) and handed back at the end.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../infra/dev/services';
import { freePort } from '../../infra/dev/free-port';

export interface BenchPostgres {
  /** postgres://… without a database name. */
  base: string;
  /** What the results record about the server the figures come from. */
  describe: string;
  /** The server's processes, when it is the bench's own: its postmaster and every child. */
  pids(): number[] | undefined;
  stop(): void;
}

const CONF = join(ROOT, 'infra', 'postgres', 'marquee.conf');
const SERVER_ENV = join(ROOT, 'infra', 'postgres', 'postgres.env');
const CLUSTER_DIR = join(tmpdir(), 'marquee-bench-postgres');
const DATA_DIR = join(CLUSTER_DIR, 'data');
const HUGE_PAGES = '/proc/sys/vm/nr_hugepages';
const HUGE_PAGE_BYTES = 2 * 1024 * 1024;

/** The newest installed server's binaries: Debian keeps them off PATH. */
function serverBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

/** KEY=value lines of infra/postgres/postgres.env, the server's environment in production too. */
function serverEnvironment(): string[] {
  return readFileSync(SERVER_ENV, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/**
 * Runs one of PostgreSQL's tools with the server's environment; as root, as the postgres user,
 * since PostgreSQL refuses to run as root.
 */
function run(bin: string, tool: string, args: string[]): string {
  const command = ['env', ...serverEnvironment(), join(bin, tool), ...args];
  const argv = userInfo().uid === 0 ? ['runuser', '-u', 'postgres', '--', ...command] : command;
  return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function sharedBuffersBytes(): number {
  const match = /^\s*shared_buffers\s*=\s*(\d+)\s*(MB|GB)/m.exec(readFileSync(CONF, 'utf8'));
  if (!match) throw new Error(`${CONF} does not set shared_buffers in MB or GB`);
  return Number(match[1]) * (match[2] === 'GB' ? 1024 ** 3 : 1024 ** 2);
}

const meminfo = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);

/**
 * Raises `vm.nr_hugepages` so the buffers fit (with a tenth spare for PostgreSQL's other shared
 * memory); returns how to hand them back, or undefined when nothing was changed.
 */
function reserveHugePages(): (() => void) | undefined {
  const wanted = Math.ceil((sharedBuffersBytes() * 1.1) / HUGE_PAGE_BYTES);
  const free = meminfo('HugePages_Free') - meminfo('HugePages_Rsvd');
  if (free >= wanted) return undefined;
  try {
    const before = Number(readFileSync(HUGE_PAGES, 'utf8'));
    writeFileSync(HUGE_PAGES, String(before + wanted - free));
    return () => writeFileSync(HUGE_PAGES, String(before));
  } catch {
    return undefined; // not root: huge_pages = try falls back to 4 kB pages, and describe() says so
  }
}

function initialise(bin: string): void {
  mkdirSync(CLUSTER_DIR, { recursive: true });
  if (userInfo().uid === 0) {
    const pg = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(CLUSTER_DIR, pg, pg);
  }
  run(bin, 'initdb', ['-D', DATA_DIR, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  appendFileSync(join(DATA_DIR, 'postgresql.conf'), "\ninclude 'marquee.conf'\n");
}

/** `root` and its children (a postmaster's are all direct: backends and background workers). */
function processTree(root: number): number[] {
  const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === root;
    } catch {
      return false;
    }
  });
  return [root, ...children];
}

export async function startBenchPostgres(log: (line: string) => void): Promise<BenchPostgres> {
  if (process.env.BENCH_PG) return { base: process.env.BENCH_PG, describe: `the server at ${process.env.BENCH_PG} (BENCH_PG)`, pids: () => undefined, stop: () => undefined };
  const bin = serverBinaries();
  if (!bin) {
    const base = 'postgres://postgres@127.0.0.1:5432';
    log(`no PostgreSQL server binaries under /usr/lib/postgresql: measuring the server at ${base} with its own settings`);
    return { base, describe: `the machine's server at ${base}, its own settings`, pids: () => undefined, stop: () => undefined };
  }
  if (!existsSync(join(DATA_DIR, 'PG_VERSION'))) initialise(bin);
  if (existsSync(join(DATA_DIR, 'postmaster.pid'))) {
    // Left running by a bench that was killed: it may run older settings, and holds the data directory.
    log('stopping the bench PostgreSQL a killed run left running');
    try {
      run(bin, 'pg_ctl', ['-D', DATA_DIR, '-m', 'fast', '-w', 'stop']);
    } catch {
      // not running after all: a stale pid file, which the start below replaces
    }
  }
  // Read at every start, so the cluster always runs the file as it is in the checkout.
  copyFileSync(CONF, join(DATA_DIR, 'marquee.conf'));
  const hugeBefore = meminfo('HugePages_Total') - meminfo('HugePages_Free') + meminfo('HugePages_Rsvd');
  const release = reserveHugePages();
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${CLUSTER_DIR}`;
  try {
    run(bin, 'pg_ctl', ['-D', DATA_DIR, '-l', join(CLUSTER_DIR, 'server.log'), '-o', options, '-w', 'start']);
  } catch (error) {
    release?.();
    throw new Error(`the bench PostgreSQL did not start (log: ${join(CLUSTER_DIR, 'server.log')}): ${(error as Error).message}`);
  }
  const hugeMb = ((meminfo('HugePages_Total') - meminfo('HugePages_Free') + meminfo('HugePages_Rsvd') - hugeBefore) * HUGE_PAGE_BYTES) / 1024 ** 2;
  const version = run(bin, 'postgres', ['--version']).trim();
  const describe = `${version}, its own cluster with infra/postgres/marquee.conf and postgres.env, ` +
    (hugeMb > 0 ? `${hugeMb} MB of huge pages` : 'no huge pages (none could be reserved)');
  log(`bench PostgreSQL: ${describe}, port ${port}`);
  return {
    base: `postgres://postgres@127.0.0.1:${port}`,
    describe,
    pids: () => processTree(Number(readFileSync(join(DATA_DIR, 'postmaster.pid'), 'utf8').split('\n')[0])),
    stop: () => {
      try {
        run(bin, 'pg_ctl', ['-D', DATA_DIR, '-m', 'fast', '-w', 'stop']);
      } finally {
        release?.();
      }
    },
  };
}
