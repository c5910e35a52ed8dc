import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { DomainError } from '../errors/domain-error';
import { isInfrastructureDown } from '../errors/infrastructure-errors';

/** Sends a DomainError back to the caller as data; anything else becomes a logged 500/503. */
@Catch()
export class RpcDomainExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('Rpc');

  catch(exception: unknown, host: ArgumentsHost): Observable<unknown> {
    if (exception instanceof DomainError) return throwError(() => exception.toJSON());
    const pattern = host.switchToRpc().getContext()?.getChannel?.() ?? 'rpc';
    if (isInfrastructureDown(exception)) {
      this.logger.warn(`${pattern}: dependency unavailable: ${(exception as Error).message}`);
      return throwError(() => ({ code: 'SERVICE_UNAVAILABLE', status: 503, message: 'A backing service is unavailable; retry shortly.' }));
    }
    this.logger.error(`${pattern}: ${(exception as Error)?.stack ?? String(exception)}`);
    return throwError(() => ({ code: 'INTERNAL', status: 500, message: 'An unexpected error occurred; it has been logged.' }));
  }
}
