import type { ValidationError } from 'class-validator';

/** Checks of what a value is, before any check of its content: the first to report when both fail. */
const TYPE_CHECKS = ['isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'isEnum', 'isIn', 'isUuid', 'isEmail'];

/**
 * One message for a field that failed, naming it as `path`. class-validator runs a field's checks
 * in the reverse order of its decorators, so the first failure is often a content check that says
 * the wrong thing ("name must not contain control characters" for a number, or for no name at all).
 */
export function validationMessage(error: ValidationError, path = error.property): string {
  if (error.value === undefined || error.value === null || error.value === '') {
    if (error.constraints) return `${path} is required`;
  }
  const constraints = error.constraints ?? {};
  const key = TYPE_CHECKS.find((k) => k in constraints) ?? Object.keys(constraints)[0];
  const message = key === undefined ? `${path} is invalid` : constraints[key];
  return message.startsWith(error.property) ? message.replace(error.property, path) : `${path}: ${message}`;
}
