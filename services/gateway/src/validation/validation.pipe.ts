import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, malformedParameters } from '@marquee/common';
import { nulMessage, pathWithNul } from './nul-free';
import { validationMessage } from './validation-message';

/**
 * class-validator with our error shape: malformed query or path parameters are 400
 * (INVALID_PARAMETER), malformed JSON bodies 422 (INVALID_FIELDS); each message names the field.
 * Unknown parameters are dropped, not refused; blank ones count as not given.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({ transform: true, whitelist: true, forbidNonWhitelisted: false, stopAtFirstError: false, exceptionFactory: (errors) => errors });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    if (metadata.type === 'body' && (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new DomainError('INVALID_FIELDS', 422, 'the request body must be a JSON object');
    }
    const refuse = (detail: string) =>
      metadata.type === 'body' ? new DomainError('INVALID_FIELDS', 422, detail) : new DomainError('INVALID_PARAMETER', 400, detail);
    // Past MAX_DEPTH, Nest's own pass over the input overflows the stack: a 500 instead of a refusal.
    if (depthOver(value, MAX_DEPTH)) throw refuse(`the request is nested more than ${MAX_DEPTH} levels deep`);
    const malformed = metadata.type === 'query' ? malformedParameters(value) : [];
    let valid: unknown;
    try {
      valid = await super.transform(metadata.type === 'query' ? withoutBlanks(value) : value, metadata);
    } catch (errors) {
      if (!Array.isArray(errors)) throw errors;
      // A value that is not what the client meant to send explains every other complaint about it.
      const garbled = malformed.filter((name) => (errors as ValidationError[]).some((e) => e.property === name));
      if (garbled.length > 0) throw refuse(percentMessage(garbled));
      throw refuse([...new Set(flatten(errors as ValidationError[], '', metadata.type === 'query'))].join('; '));
    }
    // In what was kept: unknown parameters are ignored whatever they hold.
    const garbled = malformed.filter((name) => Object.hasOwn(valid as object, name));
    if (garbled.length > 0) throw refuse(percentMessage(garbled));
    const withNul = pathWithNul(valid);
    if (withNul !== undefined) throw refuse(nulMessage(withNul || metadata.data || 'the value'));
    return valid;
  }
}

const MAX_DEPTH = 16;

function percentMessage(names: readonly string[]): string {
  return names.map((name) => `${name} is not valid percent-encoding (a % must begin an escape of UTF-8, such as %20 or %C3%A9; a literal % is %25)`).join('; ');
}

/** A blank query value (`?page=`) means the parameter was not given, so its default applies. */
function withoutBlanks(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(Object.entries(query).filter(([, v]) => typeof v !== 'string' || v.trim() !== ''));
}

function depthOver(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  return Object.values(value).some((item) => depthOver(item, limit - 1));
}

/** `query`: no query parameter takes several values, so an array there is one given twice. */
function flatten(errors: ValidationError[], parent = '', query = false): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    if (query && Array.isArray(e.value)) return [`${path} is given more than once; give it once`];
    const own = e.constraints ? [validationMessage(e, path)] : [];
    return [...own, ...flatten(e.children ?? [], path)];
  });
}
