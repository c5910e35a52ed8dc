import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { STACK_FILE, StackInfo } from './stack';

/** Stops the services (SIGTERM: they flush and close), the SMTP server, and drops the test database. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __marqueeSmtp?: { close: () => Promise<void> } }).__marqueeSmtp?.close();
  const info = JSON.parse(readFileSync(STACK_FILE, 'utf8')) as StackInfo;
  for (const pid of info.pids) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && info.pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
  for (const pid of info.pids.filter(alive)) process.kill(pid, 'SIGKILL');
  const admin = new URL(info.databaseUrl);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists "${name}" with (force)`);
  await client.end();
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
