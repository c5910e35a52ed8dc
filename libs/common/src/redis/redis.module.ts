import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, DynamicModule } from '@nestjs/common';
import Redis from 'ioredis';
import { logConnectionState } from './connection-log';
import { redisOptions } from './redis-options';

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared ioredis connection per process for commands (not for blocking reads). */
@Global()
@Module({})
export class RedisModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        // Auto-pipelining sends the commands of one event-loop tick in one write: under load the
        // hot path's scripts share syscalls instead of paying one each.
        { provide: REDIS, useFactory: () => logConnectionState(new Redis(redisOptions(url, { enableAutoPipelining: true })), new Logger('Redis')) },
        RedisCloser,
      ],
      exports: [REDIS],
    };
  }
}
