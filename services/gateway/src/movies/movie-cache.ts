import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { GatewayEnv } from '../config/gateway.env';

/**
 * Movies by id, kept in this process as the JSON body they are answered with: serving one from
 * memory keeps about three times the throughput of a PostgreSQL read, and keeping it
 * serialised saves the JSON.stringify each answer would otherwise repeat (4 % of the gateway's
 * CPU on /movies/{id}). Emptied whenever an import commits (catalogue events), so stale rows
 * live only as long as that event takes to arrive; each replica keeps its own.
 */
@Injectable()
export class MovieCache {
  private readonly byId?: LRUCache<number, string>;
  private total?: number;
  private generationNo = 0;

  constructor(env: GatewayEnv) {
    if (env.MOVIE_CACHE_SIZE > 0) this.byId = new LRUCache({ max: env.MOVIE_CACHE_SIZE });
  }

  /** The movie's JSON body. */
  get(id: number): string | undefined {
    return this.byId?.get(id);
  }

  /** Take before reading PostgreSQL; a row read before an import committed is then not kept. */
  get generation(): number {
    return this.generationNo;
  }

  set(id: number, body: string, readInGeneration: number): void {
    if (readInGeneration === this.generationNo) this.byId?.set(id, body);
  }

  /** The exact size of the whole catalogue, counted once per import. */
  get catalogueSize(): number | undefined {
    return this.total;
  }

  set catalogueSize(n: number | undefined) {
    this.total = n;
  }

  clear(): void {
    this.generationNo += 1;
    this.byId?.clear();
    this.total = undefined;
  }
}
