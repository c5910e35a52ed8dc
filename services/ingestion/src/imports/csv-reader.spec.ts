import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvItem, readCsv } from './csv-reader';
import { ImportFailure } from './import-failure';

describe('readCsv', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'marquee-csv-reader-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function read(content: string, chunkBytes?: number): Promise<CsvItem[]> {
    const path = join(dir, `${Math.random()}.csv`);
    await writeFile(path, content);
    const items: CsvItem[] = [];
    for await (const batch of readCsv(path, chunkBytes)) items.push(...batch);
    return items;
  }

  const csv = '\uFEFFtitle,year,plot\r\nA,1,"x ""q""\r\n"\r\n\r\nB,2,"one\r\ntwo\r\nthree"\r\nC,3,\r\n';

  it.each([3, 7, 64, 1024])('yields fields and physical line numbers when read %i bytes at a time', async (chunkBytes) => {
    const items = await read(csv, chunkBytes);

    expect(items).toEqual([
      { kind: 'header', fields: ['title', 'year', 'plot'] },
      { kind: 'row', line: 2, offset: 20, fields: ['A', '1', 'x "q"\r\n'] },
      { kind: 'row', line: 5, offset: csv.indexOf('B,2') + 2, fields: ['B', '2', 'one\r\ntwo\r\nthree'] },
      { kind: 'row', line: 8, offset: csv.indexOf('C,3') + 2, fields: ['C', '3', ''] },
    ]);
  });

  it('keeps commas, quotes and line breaks inside quoted fields, and a last row without a line end', async () => {
    const items = await read('title,year\n"Crouching, ""Tiger""",2000\nB,"1\n2"x\nC,3', 5);

    expect(items.slice(1)).toEqual([
      { kind: 'row', line: 2, offset: 11, fields: ['Crouching, "Tiger"', '2000'] },
      { kind: 'row', line: 3, offset: 39, fields: ['B', '1\n2x'] },
      { kind: 'row', line: 5, offset: 48, fields: ['C', '3'] },
    ]);
  });

  it('keeps multi-byte characters whole across reads', async () => {
    const items = await read('title,year\nAmélie,2001\n東京物語,1953\n', 2);

    expect(items.slice(1).map((item) => item.kind === 'row' && item.fields[0])).toEqual(['Amélie', '東京物語']);
  });

  it('yields the header of a file without data rows or final newline', async () => {
    expect(await read('title,year')).toEqual([{ kind: 'header', fields: ['title', 'year'] }]);
  });

  it('yields nothing for an empty file', async () => {
    expect(await read('')).toEqual([]);
  });

  it('marks the row whose unclosed quote took the rest of the file', async () => {
    const items = await read('title,year\nA,1\n"B,2\nC,3\n', 4);

    expect(items.slice(1)).toEqual([
      { kind: 'row', line: 2, offset: 11, fields: ['A', '1'] },
      { kind: 'row', line: 3, offset: 15, fields: ['B,2\nC,3\n'], unclosedQuote: true },
    ]);
  });

  it('stops on an unclosed quote instead of buffering the rest of the file', async () => {
    const content = `title,year\nA,1\n"B,2\n${'x,1\n'.repeat(300_000)}`;

    await expect(read(content)).rejects.toBeInstanceOf(ImportFailure);
  });
});
