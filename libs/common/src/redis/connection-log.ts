import type { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/**
 * One log line when the connection is lost and one when it is back. Without an error listener
 * ioredis prints every failed reconnect as an "Unhandled error event" stack trace on stderr.
 */
export function logConnectionState(client: Redis, logger: Logger): Redis {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis is unreachable (${error.message}); reconnecting`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log('Redis is reachable again');
  });
  return client;
}
