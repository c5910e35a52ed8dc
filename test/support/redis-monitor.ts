import { connect } from 'node:net';

export interface RedisMonitor {
  /** Every command Redis executed since MONITOR was acknowledged, one raw line each. */
  readonly lines: string[];
  stop(): void;
}

/**
 * Watches every command the Redis server runs. Written on a bare socket because ioredis's
 * monitor() enters monitoring mode a microtask after MONITOR's "OK": a command line arriving in
 * the same TCP read is taken for a reply to nothing ("Command queue state error").
 */
export function monitorRedis(url: string): Promise<RedisMonitor> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port || 6379) });
  const lines: string[] = [];
  let buffered = '';
  let acknowledged = false;
  socket.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    socket.on('error', reject); // after MONITOR was acknowledged, a no-op rather than an unhandled error
    socket.on('connect', () => socket.write('MONITOR\r\n'));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (acknowledged) lines.push(line);
        else if (line === '+OK') {
          acknowledged = true;
          resolve({ lines, stop: () => socket.destroy() });
        } else reject(new Error(`MONITOR refused: ${line}`));
      }
    });
  });
}
