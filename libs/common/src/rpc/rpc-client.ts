import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { DomainError, unavailable } from '../errors/domain-error';

export const RPC_TIMEOUT_MS = 5000;

/**
 * Every RPC call goes through here: a timeout so a dead service means 503 rather than a hung
 * request, and the remote DomainError rebuilt so the gateway answers with its status and code.
 */
export async function rpc<TResult, TPayload = unknown>(
  client: ClientProxy,
  pattern: string,
  payload: TPayload,
  timeoutMs = RPC_TIMEOUT_MS,
): Promise<TResult> {
  try {
    return await firstValueFrom(client.send<TResult, TPayload>(pattern, payload).pipe(timeout(timeoutMs)));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (DomainError.isPayload(error)) throw DomainError.fromPayload(error);
    if (error instanceof TimeoutError) throw unavailable(`No answer from ${pattern.split('.')[0]} within ${timeoutMs} ms`);
    throw unavailable(`${pattern.split('.')[0]} could not be reached: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
