import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { MARQUEE_BUS, redisOptions, rpc, unavailable } from '@marquee/common';
import { KEYS_PATTERNS, LoadRecordRequest, LoadRecordResult } from '@marquee/contracts';
import { KeyCheck, QuotaScript, ScriptPipeline } from '@marquee/quota';
import { GatewayEnv } from '../config/gateway.env';

/**
 * Checks and counts one call for a key hash: one Redis round trip when the key is cached; on a
 * miss, asks the keys service to load it (once per hash at a time in this process) and retries.
 * The script runs on a connection of its own (ScriptPipeline), not through ioredis.
 */
@Injectable()
export class KeyVerifier implements OnApplicationShutdown {
  private readonly connection: ScriptPipeline;
  private readonly script: QuotaScript;
  private readonly loading = new Map<string, Promise<LoadRecordResult>>();

  constructor(
    env: GatewayEnv,
    @Inject(MARQUEE_BUS) private readonly bus: ClientProxy,
  ) {
    this.connection = QuotaScript.pipeline(redisOptions(env.REDIS_URL));
    this.script = new QuotaScript(this.connection);
  }

  onApplicationShutdown(): void {
    this.connection.close();
  }

  /** `nowMs` is the instant the call is counted at (its month, its minute). */
  async verify(keyHash: string, nowMs = Date.now()): Promise<KeyCheck> {
    const first = await this.script.check(keyHash, nowMs);
    if (first.ok || first.code !== 'MISS') return first;
    await this.load(keyHash);
    const second = await this.script.check(keyHash, nowMs);
    if (!second.ok && second.code === 'MISS') throw unavailable('the key cache could not be filled; retry shortly');
    return second;
  }

  private load(keyHash: string): Promise<LoadRecordResult> {
    let pending = this.loading.get(keyHash);
    if (!pending) {
      pending = rpc<LoadRecordResult, LoadRecordRequest>(this.bus, KEYS_PATTERNS.loadRecord, { keyHash })
        .finally(() => this.loading.delete(keyHash));
      this.loading.set(keyHash, pending);
    }
    return pending;
  }
}
