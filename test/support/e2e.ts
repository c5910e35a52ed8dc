import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { STACK_FILE, StackInfo } from './stack';

export const stack = (): StackInfo => JSON.parse(readFileSync(STACK_FILE, 'utf8')) as StackInfo;

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A plain HTTP call, as any client would make it. */
export async function call<T = any>(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer<T>> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, body: body as T };
}

export async function adminToken(base = stack().gateways[0]): Promise<string> {
  const s = stack();
  const answer = await call(base, '/admin/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
  if (answer.status !== 200) throw new Error(`admin login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.access_token as string;
}

export async function createKey(token: string, owner: string, plan = 'free', name = 'test key'): Promise<{ id: string; key: string }> {
  const answer = await call(stack().gateways[0], '/admin/api/keys', {
    method: 'POST', headers: { authorization: `Bearer ${token}` }, body: { owner_email: owner, name, plan },
  });
  if (answer.status !== 201) throw new Error(`key creation failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export async function withDb<T>(fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: stack().databaseUrl });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

export const uniqueEmail = (tag: string) => `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@gmail.com`;

/** Waits until the starter catalogue has been imported by the ingestion service. */
export function catalogueLoaded(): Promise<number> {
  return eventually(
    () => withDb(async (db) => (await db.query("select count(*)::int as n from imports where status = 'completed'")).rows[0].n as number),
    (n) => n > 0,
    60_000,
  );
}
