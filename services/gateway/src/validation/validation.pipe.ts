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

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m.replace(e.property, path) : `${path}: ${m}`));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}
