import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { ProblemFilter } from './problem.filter';
import { RpcDomainExceptionFilter } from '../rpc/rpc-exception.filter';

/** One global filter for a hybrid app: HTTP errors become problem+json, RPC errors data for the caller. */
@Catch()
export class ExceptionFilterByTransport implements ExceptionFilter {
  constructor(private readonly http: ProblemFilter, private readonly rpc: RpcDomainExceptionFilter) {}

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() === 'rpc') return this.rpc.catch(exception, host);
    return this.http.catch(exception, host);
  }
}
