/**
 * An expected failure with a stable code (`KEYS.NOT_FOUND`) and the HTTP status it maps to.
 * It crosses the RPC boundary as plain data and becomes problem+json at the gateway;
 * clients match on `code`, never on `message`.
 */
export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly headers: Record<string, string | number> = {},
  ) {
    super(message);
  }

  toJSON(): DomainErrorPayload {
    return { code: this.code, status: this.status, message: this.message, headers: this.headers };
  }

  static isPayload(value: unknown): value is DomainErrorPayload {
    const v = value as DomainErrorPayload | null;
    return !!v && typeof v === 'object' && typeof v.code === 'string' && typeof v.status === 'number';
  }

  static fromPayload(p: DomainErrorPayload): DomainError {
    return new DomainError(p.code, p.status, p.message, p.headers ?? {});
  }
}

export interface DomainErrorPayload {
  code: string;
  status: number;
  message: string;
  headers?: Record<string, string | number>;
}

export const notFound = (code: string, message: string) => new DomainError(code, 404, message);
export const badRequest = (code: string, message: string) => new DomainError(code, 400, message);
export const unavailable = (message: string) => new DomainError('SERVICE_UNAVAILABLE', 503, message);
