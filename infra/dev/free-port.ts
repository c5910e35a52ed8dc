import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Where the kernel picks the local ports of outgoing connections (Linux's default when unknown). */
function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && low > 2048 ? low : 32768;
  } catch {
    return 32768;
  }
}

const FLOOR = 10_000;
/** Ports this process has handed out: never the same one twice, even before its owner binds it. */
const handedOut = new Set<number>();

/** Any port the kernel calls free: the fallback when the ephemeral range leaves no room below it. */
const anyPort = () => new Promise<number>((resolve, reject) => {
  const server = createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

/** Whether a server could listen on `port` now (false when something already does). */
export const bindable = (port: number) => new Promise<boolean>((resolve) => {
  const server = createServer();
  server.once('error', () => resolve(false));
  server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
});

/**
 * A TCP port that nothing listens on right now (for tests and benchmarks), below the ephemeral
 * range: a port from listen(0) may become the local end of some outgoing PostgreSQL or Redis
 * connection in the seconds before the service that was given it binds it (EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  const ceiling = ephemeralRangeStart();
  if (ceiling - FLOOR < 1000) return anyPort();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FLOOR + Math.floor(Math.random() * (ceiling - FLOOR));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free TCP port between ${FLOOR} and ${ceiling}`);
}
