import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { hasLoneSurrogate, trimInvisible } from '@marquee/common';

/**
 * An API key's name, for admins and developers alike: checked as it will be stored, trimmed of
 * whitespace and invisible characters, so "   " or a lone U+200B is no name ("name is required").
 * A lone surrogate is refused: PostgreSQL would store U+FFFD, not what the caller sent and sees echoed.
 */
export const IsKeyName = () => applyDecorators(
  Transform(({ value }) => (typeof value === 'string' ? trimInvisible(value) : value)),
  IsString({ message: 'name must be a string' }),
  MinLength(1, { message: 'name is required' }),
  MaxLength(100, { message: 'name must be at most 100 characters' }),
  Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'name must not contain control characters' }),
  ValidateBy({
    name: 'isWellFormedText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !hasLoneSurrogate(value),
      defaultMessage: () => 'name must be valid Unicode text: it holds half of a UTF-16 surrogate pair',
    },
  }),
);
