import { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT } from '../../infra/dev/services';
import { call, eventually } from './e2e';
import { PG_SERVER } from './servers';
import { RunningStack, StackOptions, startStack } from './stack';

export interface Session {
  base: string;
  token: string;
}

/** Uploads CSV text as a browser form would (multipart: file + mode). */
export async function upload(session: Session, content: string | Buffer, options: { mode?: string; name?: string; headers?: Record<string, string> } = {}) {
  const form = new FormData();
  if (options.mode !== undefined) form.append('mode', options.mode);
  form.append('file', new Blob([content], { type: 'text/csv' }), options.name ?? 'movies.csv');
  const response = await fetch(`${session.base}/admin/api/imports`, {
    method: 'POST', body: form, headers: { authorization: `Bearer ${session.token}`, ...options.headers },
  });
  const text = await response.text();
  let body: any = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, body };
}

export async function importFinished(session: Session, id: string, timeoutMs = 120_000) {
  const answer = await eventually(
    () => call(session.base, `/admin/api/imports/${id}`, { headers: { authorization: `Bearer ${session.token}` } }),
    (a) => a.status === 200 && (a.body.status === 'completed' || a.body.status === 'failed'),
    timeoutMs,
  );
  if (answer.body.status !== 'completed' && answer.body.status !== 'failed') throw new Error(`import ${id} did not finish: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Uploads and waits for the import to end; fails the test when the upload is refused. */
export async function runImport(session: Session, content: string | Buffer, mode = 'merge', name?: string) {
  const queued = await upload(session, content, { mode, name });
  if (queued.status !== 202) throw new Error(`upload refused: ${queued.status} ${JSON.stringify(queued.body)}`);
  return importFinished(session, queued.body.id);
}

export function expectBalanced(done: { counts: Record<string, number> }): void {
  const c = done.counts;
  expect(c.inserted + c.updated + c.unchanged + c.duplicates + c.rejected).toBe(c.rows);
}

/** A CSV of `count` distinct movies titled `<prefix> <i>`. */
export function generatedCsv(prefix: string, count: number, director = 'Generated'): string {
  const lines = ['title,year,genre,director,plot'];
  for (let i = 0; i < count; i += 1) lines.push(`${prefix} ${i},${1900 + (i % 120)},${i % 2 ? 'Drama' : 'Comedy'},${director},Plot ${i}`);
  return `${lines.join('\n')}\n`;
}

export function exited(child: ChildProcess): Promise<unknown> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
}

/**
 * A stack of its own, with a DATA_DIR of its own, for a suite that changes the catalogue (other
 * suites walk the shared one) or kills a service; `stop` removes everything it made.
 */
export async function startOwnStack(options: Omit<StackOptions, 'env'> & { env?: Record<string, string> }): Promise<{ stack: RunningStack; dataDir: string; stop: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), `${options.name}-`));
  const stack = await startStack({ ...options, env: { DATA_DIR: dataDir, STARTER_CATALOGUE: join(ROOT, 'data', 'movies.csv'), ...options.env } });
  const stop = async () => {
    for (const child of stack.processes) child.kill('SIGTERM');
    await Promise.all(stack.processes.map(exited));
    const server = new Client({ connectionString: `${PG_SERVER}/postgres` });
    await server.connect();
    await server.query(`drop database if exists "${new URL(stack.databaseUrl).pathname.slice(1)}" with (force)`);
    await server.end();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { stack, dataDir, stop };
}
