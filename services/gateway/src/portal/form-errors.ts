import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { nulMessage, pathWithNul } from '../validation/nul-free';
import { validationMessage } from '../validation/validation-message';

/** Validates a posted form against an API DTO: the same rules as the JSON API, as one message per field. */
export async function formErrors<T extends object>(dto: new () => T, body: unknown): Promise<{ value: T; errors: Record<string, string> }> {
  const value = plainToInstance(dto, typeof body === 'object' && body ? body : {});
  const errors: Record<string, string> = {};
  // Whitelisted as the JSON pipe does: a form's other fields (its CSRF token) are not the DTO's.
  for (const error of await validate(value, { whitelist: true })) errors[error.property] = validationMessage(error);
  const withNul = pathWithNul(value);
  if (withNul && !errors[withNul]) errors[withNul] = nulMessage(withNul);
  return { value, errors };
}
