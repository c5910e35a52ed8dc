import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '@marquee/common';

/**
 * class-validator with our error shape: malformed query or path parameters are 400
 * (INVALID_PARAMETER), malformed JSON bodies 422 (INVALID_FIELDS); each message names the field.
 * Unknown parameters are dropped, not refused.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({ transform: true, whitelist: true, forbidNonWhitelisted: false, stopAtFirstError: true, exceptionFactory: (errors) => errors });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (value === undefined || value === null || typeof value !== 'object')) {
      throw new DomainError('INVALID_FIELDS', 422, 'the request body must be a JSON object');
    }
    const withNul = fieldWithNul(value);
    if (withNul !== undefined) {
      // PostgreSQL text cannot hold one: it would fail the query as a 500 instead of a refusal.
      const detail = `${withNul || metadata.data || 'the value'} must not contain a NUL character (\\u0000, %00)`;
      throw metadata.type === 'body' ? new DomainError('INVALID_FIELDS', 422, detail) : new DomainError('INVALID_PARAMETER', 400, detail);
    }
    try {
      return await super.transform(value, metadata);
    } catch (errors) {
      if (!Array.isArray(errors)) throw errors;
      const detail = [...new Set(flatten(errors as ValidationError[]))].join('; ');
      if (metadata.type === 'body') throw new DomainError('INVALID_FIELDS', 422, detail);
      throw new DomainError('INVALID_PARAMETER', 400, detail);
    }
  }
}

/** The path of the first string in `value` holding a NUL ('' for `value` itself), if any. */
function fieldWithNul(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (typeof value !== 'object' || value === null || depth > 8) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = fieldWithNul(item, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m.replace(e.property, path) : `${path}: ${m}`));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}
