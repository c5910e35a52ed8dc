/** Resolves once every URL answers 200, or rejects after `timeoutMs` naming those that did not. */
export async function waitUntilReady(urls: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(urls);
  while (pending.size > 0) {
    for (const url of [...pending]) {
      const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      if (ok) pending.delete(url);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs / 1000} s: ${[...pending].join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
