import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ClientProxy, CustomTransportStrategy, ReadPacket, RedisContext, Server, WritePacket } from '@nestjs/microservices';
import Redis from 'ioredis';
import { redisOptions } from '../redis/redis-options';
import { RPC_TIMEOUT_MS } from './rpc-client';

/**
 * RPC and events over Redis, with the delivery each needs.
 *
 * Nest's stock Redis transport sends a request over pub/sub, so EVERY replica of the serving
 * service runs it (two keys replicas would create two keys) and it ignores the Redis db number
 * (two stacks on one Redis server answer each other). Here a request is an item in a list in
 * the configured db: exactly one replica pops it (BRPOP) and replies on the caller's own
 * channel. Events stay broadcast (every gateway replica must drop its cache), on channels
 * scoped by db. A request not taken before its deadline is dropped, never run late.
 */
const requestQueue = (pattern: string) => `mq:rpc:${pattern}`;
const scopeOf = (url: string) => `${new URL(url).pathname.replace('/', '') || '0'}`;
const replyChannel = (url: string, clientId: string) => `mq:${scopeOf(url)}:rpc-reply:${clientId}`;
/** The pub/sub channel an event travels on (exported for tests that listen as a replica would). */
export const eventChannel = (url: string, pattern: string) => `mq:${scopeOf(url)}:event:${pattern}`;

/** A request older than the caller's timeout is dropped: the caller has given up on it. */
const REQUEST_TTL_MS = RPC_TIMEOUT_MS;
const MAX_IN_FLIGHT = 64;

interface RequestEnvelope {
  id: string;
  pattern: string;
  data: unknown;
  replyTo: string;
  deadline: number;
}

export class RedisQueueServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('RpcServer');
  private readonly inFlight = new Set<Promise<void>>();
  private blocking?: Redis;
  private publisher?: Redis;
  private subscriber?: Redis;
  private closed = false;

  constructor(private readonly url: string) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    const requests = [...this.messageHandlers.entries()].filter(([, h]) => !h.isEventHandler).map(([p]) => p);
    const events = [...this.messageHandlers.entries()].filter(([, h]) => h.isEventHandler).map(([p]) => p);
    this.publisher = new Redis(redisOptions(this.url));
    this.blocking = new Redis(redisOptions(this.url, { maxRetriesPerRequest: null }));
    this.subscriber = new Redis(redisOptions(this.url, { maxRetriesPerRequest: null }));
    for (const connection of [this.publisher, this.blocking, this.subscriber]) connection.on('error', () => undefined);
    if (events.length) {
      this.subscriber.on('message', (channel: string, message: string) => void this.onEvent(channel, message, events));
      void this.subscriber.subscribe(...events.map((p) => eventChannel(this.url, p)));
    }
    if (requests.length) void this.consume(requests.map(requestQueue));
    callback();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, 5000))]);
    this.blocking?.disconnect();
    await closeConnection(this.subscriber);
    await closeConnection(this.publisher);
  }

  on(): void {
    // Connection events are handled inside; nothing to register.
  }

  unwrap<T>(): T {
    return [this.publisher, this.blocking, this.subscriber] as T;
  }

  private async consume(queues: string[]): Promise<void> {
    while (!this.closed) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) {
        await Promise.race(this.inFlight);
        continue;
      }
      let popped: [string, string] | null;
      try {
        popped = await this.blocking!.brpop(...queues, 1);
      } catch {
        if (!this.closed) await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (!popped) continue;
      const job = this.handle(popped[1]).finally(() => this.inFlight.delete(job));
      this.inFlight.add(job);
    }
  }

  private async handle(raw: string): Promise<void> {
    let request: RequestEnvelope;
    try {
      request = JSON.parse(raw) as RequestEnvelope;
    } catch {
      this.log.warn('dropped a request that is not JSON');
      return;
    }
    if (Date.now() > request.deadline) return;
    const handler = this.getHandlerByPattern(request.pattern);
    const reply = (packet: WritePacket) =>
      this.publisher!.publish(request.replyTo, JSON.stringify({ ...packet, id: request.id })).then(() => undefined, () => undefined);
    if (!handler) {
      await reply({ err: { code: 'INTERNAL', status: 500, message: `no handler for ${request.pattern}` }, isDisposed: true });
      return;
    }
    const response$ = this.transformToObservable(await handler(request.data, new RedisContext([request.pattern])));
    await new Promise<void>((resolve) => {
      const subscription = this.send(response$, async (packet) => {
        await reply(packet);
        if (packet.isDisposed || packet.err) resolve();
      });
      subscription.add(() => resolve());
    });
  }

  private async onEvent(channel: string, message: string, patterns: string[]): Promise<void> {
    const pattern = patterns.find((p) => eventChannel(this.url, p) === channel);
    if (!pattern) return;
    try {
      const packet = JSON.parse(message) as ReadPacket;
      await this.handleEvent(pattern, packet, new RedisContext([pattern]));
    } catch (error) {
      this.log.error(`event ${pattern} failed: ${(error as Error).message}`);
    }
  }
}

export class RedisQueueClient extends ClientProxy {
  private readonly clientId = randomUUID();
  private readonly url: string;
  private publisher?: Redis;
  private subscriber?: Redis;
  private ready?: Promise<void>;

  constructor(options: { url: string }) {
    super();
    this.url = options.url;
  }

  connect(): Promise<void> {
    this.ready ??= (async () => {
      this.publisher = new Redis(redisOptions(this.url));
      this.subscriber = new Redis(redisOptions(this.url, { maxRetriesPerRequest: null }));
      for (const connection of [this.publisher, this.subscriber]) connection.on('error', () => undefined);
      this.subscriber.on('message', (_channel: string, message: string) => this.onReply(message));
      await this.subscriber.subscribe(replyChannel(this.url, this.clientId));
    })();
    return this.ready;
  }

  async close(): Promise<void> {
    await closeConnection(this.subscriber);
    await closeConnection(this.publisher);
    this.ready = undefined;
  }

  unwrap<T>(): T {
    return [this.publisher, this.subscriber] as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const id = randomUUID();
    const pattern = this.normalizePattern(packet.pattern);
    this.routingMap.set(id, callback);
    const envelope: RequestEnvelope = {
      id, pattern, data: packet.data, replyTo: replyChannel(this.url, this.clientId), deadline: Date.now() + REQUEST_TTL_MS,
    };
    this.connect()
      .then(() => this.publisher!.lpush(requestQueue(pattern), JSON.stringify(envelope)))
      .catch((error: Error) => {
        this.routingMap.delete(id);
        callback({ err: { code: 'SERVICE_UNAVAILABLE', status: 503, message: `the message bus is unreachable: ${error.message}` }, isDisposed: true });
      });
    return () => this.routingMap.delete(id);
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    await this.connect();
    const pattern = this.normalizePattern(packet.pattern);
    await this.publisher!.publish(eventChannel(this.url, pattern), JSON.stringify({ pattern, data: packet.data }));
    return undefined as T;
  }

  private onReply(message: string): void {
    let packet: WritePacket & { id?: string };
    try {
      packet = JSON.parse(message) as WritePacket & { id?: string };
    } catch {
      return;
    }
    const callback = packet.id ? this.routingMap.get(packet.id) : undefined;
    if (!callback) return;
    callback(packet.isDisposed || packet.err ? { ...packet, isDisposed: true } : packet);
  }
}

/**
 * QUIT when connected, so replies in flight arrive first. Otherwise drop the connection: QUIT
 * waits for a connection to be sent on, and a subscriber (which retries without limit) would
 * wait for Redis forever, so a process could not stop while Redis is away.
 */
async function closeConnection(connection: Redis | undefined): Promise<void> {
  if (connection?.status === 'ready') await connection.quit().catch(() => connection.disconnect());
  else connection?.disconnect();
}
