/**
 * An estimated total squared with the page in hand: never fewer than the rows up to it (and one
 * more when another page follows), and exact once a page ends the matches. A client that pages
 * up to total_pages must reach the last match.
 */
export function consistentTotal(
  total: { value: number; estimated: boolean }, offset: number, rows: number, more: boolean,
): { value: number; estimated: boolean } {
  // An empty page, past the last match, tells nothing about where the matches end.
  if (!total.estimated || rows === 0) return total;
  if (!more) return { value: offset + rows, estimated: false };
  return { value: Math.max(total.value, offset + rows + 1), estimated: true };
}
