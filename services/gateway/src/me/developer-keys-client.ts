import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { MARQUEE_BUS, rpc } from '@marquee/common';
import {
  ApiKeyView, ClaimFirstKeyRequest, ClaimFirstKeyResult, CreatedApiKey, CreateOwnedKeyRequest, OWNED_KEYS_PATTERNS, OwnedKeyRequest,
  OwnedLogsRequest, OwnedStats, OwnedStatsRequest, OwnedUsage, OwnedUsageRequest, OwnerRequest, OwnedLogPage,
} from '@marquee/contracts';

/** The keys service as a developer sees it: every call carries the caller's own id as owner. */
@Injectable()
export class DeveloperKeysClient {
  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy) {}

  claimFirst(request: ClaimFirstKeyRequest): Promise<ClaimFirstKeyResult> {
    return rpc<ClaimFirstKeyResult, ClaimFirstKeyRequest>(this.bus, OWNED_KEYS_PATTERNS.claimFirst, request);
  }

  list(ownerId: string): Promise<ApiKeyView[]> {
    return rpc<ApiKeyView[], OwnerRequest>(this.bus, OWNED_KEYS_PATTERNS.list, { ownerId });
  }

  create(request: CreateOwnedKeyRequest): Promise<CreatedApiKey> {
    return rpc<CreatedApiKey, CreateOwnedKeyRequest>(this.bus, OWNED_KEYS_PATTERNS.create, request);
  }

  rotate(ownerId: string, id: string): Promise<CreatedApiKey> {
    return rpc<CreatedApiKey, OwnedKeyRequest>(this.bus, OWNED_KEYS_PATTERNS.rotate, { ownerId, id });
  }

  remove(ownerId: string, id: string): Promise<ApiKeyView> {
    return rpc<ApiKeyView, OwnedKeyRequest>(this.bus, OWNED_KEYS_PATTERNS.remove, { ownerId, id });
  }

  usage(ownerId: string, from: string, to: string): Promise<OwnedUsage> {
    return rpc<OwnedUsage, OwnedUsageRequest>(this.bus, OWNED_KEYS_PATTERNS.usage, { ownerId, from, to });
  }

  logs(ownerId: string, page: number, limit: number): Promise<OwnedLogPage> {
    return rpc<OwnedLogPage, OwnedLogsRequest>(this.bus, OWNED_KEYS_PATTERNS.logs, { ownerId, page, limit });
  }

  stats(ownerId: string, days: number): Promise<OwnedStats> {
    return rpc<OwnedStats, OwnedStatsRequest>(this.bus, OWNED_KEYS_PATTERNS.stats, { ownerId, days });
  }
}
