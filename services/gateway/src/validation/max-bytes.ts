import { ValidateBy, ValidationOptions } from 'class-validator';

/** At most `max` bytes in UTF-8: what bcrypt actually reads of a password (it ignores the rest). */
export const MaxUtf8Bytes = (max: number, options?: ValidationOptions) =>
  ValidateBy({
    name: 'maxUtf8Bytes',
    constraints: [max],
    validator: { validate: (value: unknown) => typeof value === 'string' && Buffer.byteLength(value, 'utf8') <= max },
  }, options);
