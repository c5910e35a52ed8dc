import { Transform } from 'class-transformer';

/** "12" → 12; anything else stays as it is so @IsInt refuses it ("1.5", "abc", ["1","2"]). */
export const StrictInt = () =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value));

/** An empty query value (`?title=`) means the parameter was not given. */
export const EmptyAsAbsent = () =>
  Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : value));
