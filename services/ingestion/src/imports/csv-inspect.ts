import { open } from 'node:fs/promises';
import { CsvLayout, resolveLayout } from './csv-row.validator';
import { readCsv } from './csv-reader';
import { ImportFailure } from './import-failure';

const SNIFF_BYTES = 64 * 1024;

export type Inspection =
  | { ok: true; layout: CsvLayout }
  | { ok: false; code: 'IMPORTS.EMPTY_FILE' | 'IMPORTS.NOT_CSV' | 'IMPORTS.MISSING_COLUMN'; reason: string };

/**
 * Decides at upload time whether a file can be imported at all, so the admin gets a 400 at once
 * rather than a failed import later: UTF-8 text without NUL bytes, and a header with title and year.
 */
export async function inspectCsv(filePath: string): Promise<Inspection> {
  const head = await readHead(filePath);
  if (head.length === 0) return { ok: false, code: 'IMPORTS.EMPTY_FILE', reason: 'the file is empty: a header row with "title" and "year" is required' };
  if (head.includes(0)) return { ok: false, code: 'IMPORTS.NOT_CSV', reason: 'the file is not CSV text: it contains binary data' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return { ok: false, code: 'IMPORTS.NOT_CSV', reason: 'the file is not UTF-8 text; save the CSV as UTF-8' };
  }
  try {
    for await (const [item] of readCsv(filePath)) {
      if (item.kind !== 'header') continue;
      const resolved = resolveLayout(item.fields);
      return resolved.ok ? { ok: true, layout: resolved.value } : { ok: false, code: 'IMPORTS.MISSING_COLUMN', reason: resolved.reason };
    }
  } catch (error) {
    if (error instanceof ImportFailure) return { ok: false, code: 'IMPORTS.NOT_CSV', reason: error.message };
    throw error;
  }
  return { ok: false, code: 'IMPORTS.EMPTY_FILE', reason: 'the file has no header row: "title" and "year" are required' };
}

async function readHead(filePath: string): Promise<Buffer> {
  const file = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
