/** Whitespace, and characters that render as nothing: zero-width space and joiners, BOM, soft hyphen, fillers. */
const INVISIBLE = /^[\s\p{Default_Ignorable_Code_Point}]$/u;

/**
 * The text without whitespace or invisible characters at either end, so a name of only such
 * characters is empty. A loop, not one regular expression: `[…]+$` backtracks quadratically on a
 * long run of spaces that is not at the end.
 */
export function trimInvisible(text: string): string {
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && INVISIBLE.test(chars[start])) start += 1;
  while (end > start && INVISIBLE.test(chars[end - 1])) end -= 1;
  return chars.slice(start, end).join('');
}

/** Half of a UTF-16 pair on its own cannot be stored as UTF-8: PostgreSQL would keep U+FFFD instead. */
export function hasLoneSurrogate(text: string): boolean {
  return /\p{Cs}/u.test(text);
}
