import { Transform } from 'class-transformer';

/**
 * "12" → 12; anything else stays as it is so @IsInt refuses it ("1.5", "abc", ["1","2"]). Digits
 * of any length become a number, so the range check says what is wrong with 20 of them.
 */
export const StrictInt = () =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value));

/** Spaces around a search term are where it was typed, not part of what is looked for. */
export const Trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
