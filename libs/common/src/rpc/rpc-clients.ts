import { DynamicModule, Module } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { redisTransportOptions } from '../redis/redis-options';

/** The one Redis-transport client of a process, registered under this token. */
export const MARQUEE_BUS = Symbol('MARQUEE_BUS');

@Module({})
export class BusClientModule {
  static forRoot(redisUrl: string): DynamicModule {
    const clients = ClientsModule.register([
      { name: MARQUEE_BUS, transport: Transport.REDIS, options: redisTransportOptions(redisUrl) },
    ]);
    return { module: BusClientModule, global: true, imports: [clients], exports: [clients] };
  }
}
