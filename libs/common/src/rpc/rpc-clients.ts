import { DynamicModule, Module } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import { RedisQueueClient } from './redis-queue.transport';

/** The one message-bus client of a process (RPC and events), registered under this token. */
export const MARQUEE_BUS = Symbol('MARQUEE_BUS');

@Module({})
export class BusClientModule {
  static forRoot(redisUrl: string): DynamicModule {
    const clients = ClientsModule.register([{ name: MARQUEE_BUS, customClass: RedisQueueClient, options: { url: redisUrl } }]);
    return { module: BusClientModule, global: true, imports: [clients], exports: [clients] };
  }
}
