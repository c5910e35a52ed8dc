/** Cells a spreadsheet would run as a formula (or that hide one behind a tab or carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell for a file an admin will open in a spreadsheet: a value that could start a formula
 * is prefixed with `'`, which spreadsheets show as text (OWASP's CSV-injection advice), then the
 * cell is quoted when it must be.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** Turns pages fetched one after another into CSV text, header first, without holding them all. */
export async function* csvRows<T>(header: readonly string[], pages: AsyncIterable<T[]>, toValues: (row: T) => (string | number | boolean | null)[]): AsyncGenerator<string> {
  yield csvLine(header);
  for await (const page of pages) {
    if (page.length > 0) yield page.map((row) => csvLine(toValues(row))).join('');
  }
}

/** Pages read by seeking past the last row of the previous one, until a short page says it was the last. */
export async function* keysetPages<T, K>(size: number, fetchPage: (after: K | undefined) => Promise<T[]>, keyOf: (row: T) => K): AsyncGenerator<T[]> {
  for (let after: K | undefined; ;) {
    const rows = await fetchPage(after);
    yield rows;
    if (rows.length < size) return;
    after = keyOf(rows[rows.length - 1]);
  }
}
