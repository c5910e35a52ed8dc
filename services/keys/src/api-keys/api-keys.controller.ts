import { MikroORM, CreateRequestContext } from '@mikro-orm/postgresql';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ChangePlanRequest, CreateKeyRequest, KEYS_PATTERNS, KeyIdRequest, ListKeysRequest, LoadRecordRequest, LoadRecordResult,
} from '@marquee/contracts';
import { ApiKeysService } from './api-keys.service';
import { KeyOwners } from './key-owners';

/** RPC surface of the keys service. Reads, or writes that are safe to repeat. */
@Controller()
export class ApiKeysController {
  constructor(
    private readonly orm: MikroORM,
    private readonly keys: ApiKeysService,
    private readonly owners: KeyOwners,
  ) {}

  @MessagePattern(KEYS_PATTERNS.loadRecord)
  @CreateRequestContext()
  async loadRecord(@Payload() { keyHash }: LoadRecordRequest): Promise<LoadRecordResult> {
    return { found: await this.keys.loadRecord(keyHash) };
  }

  @MessagePattern(KEYS_PATTERNS.create)
  @CreateRequestContext()
  async create(@Payload() request: CreateKeyRequest) {
    return this.keys.create({ ...request, ...(await this.owners.of(request.ownerEmail)) });
  }

  @MessagePattern(KEYS_PATTERNS.list)
  @CreateRequestContext()
  list(@Payload() request: ListKeysRequest) {
    return this.keys.list(request);
  }

  @MessagePattern(KEYS_PATTERNS.get)
  @CreateRequestContext()
  get(@Payload() { id }: KeyIdRequest) {
    return this.keys.get(id);
  }

  @MessagePattern(KEYS_PATTERNS.suspend)
  @CreateRequestContext()
  suspend(@Payload() { id }: KeyIdRequest) {
    return this.keys.suspend(id);
  }

  @MessagePattern(KEYS_PATTERNS.resume)
  @CreateRequestContext()
  resume(@Payload() { id }: KeyIdRequest) {
    return this.keys.resume(id);
  }

  @MessagePattern(KEYS_PATTERNS.resetUsage)
  @CreateRequestContext()
  resetUsage(@Payload() { id }: KeyIdRequest) {
    return this.keys.resetUsage(id);
  }

  @MessagePattern(KEYS_PATTERNS.changePlan)
  @CreateRequestContext()
  changePlan(@Payload() { id, plan }: ChangePlanRequest) {
    return this.keys.changePlan(id, plan);
  }

  @MessagePattern(KEYS_PATTERNS.remove)
  @CreateRequestContext()
  remove(@Payload() { id }: KeyIdRequest) {
    return this.keys.remove(id);
  }
}
