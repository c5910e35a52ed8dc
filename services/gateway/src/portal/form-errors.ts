import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { validationMessage } from '../validation/validation-message';

/** Validates a posted form against an API DTO: the same rules as the JSON API, as one message per field. */
export async function formErrors<T extends object>(dto: new () => T, body: unknown): Promise<{ value: T; errors: Record<string, string> }> {
  const value = plainToInstance(dto, typeof body === 'object' && body ? body : {});
  const errors: Record<string, string> = {};
  for (const error of await validate(value)) errors[error.property] = validationMessage(error);
  return { value, errors };
}
