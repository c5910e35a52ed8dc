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
    for await (const item of readCsv(path, chunkBytes)) items.push(item);
    return items;
  }

  const csv = '\uFEFFtitle,year,plot\r\nA,1,"x ""q""\r\n"\r\n\r\nB,2,"one\r\ntwo\r\nthree"\r\nC,3,\r\n';

  it.each([3, 7, 64, 1024])('yields fields and physical line numbers when read %i bytes at a time', async (chunkBytes) => {
    const items = await read(csv, chunkBytes);

    expect(items).toEqual([
      { kind: 'header', fields: ['\uFEFFtitle', 'year', 'plot'] },
      { kind: 'row', line: 2, offset: 20, fields: ['A', '1', 'x "q"\r\n'] },
      { kind: 'row', line: 5, offset: csv.indexOf('B,2') + 2, fields: ['B', '2', 'one\r\ntwo\r\nthree'] },
      { kind: 'row', line: 8, offset: csv.indexOf('C,3') + 2, fields: ['C', '3', ''] },
    ]);
  });

  it('yields the header of a file without data rows or final newline', async () => {
    expect(await read('title,year')).toEqual([{ kind: 'header', fields: ['title', 'year'] }]);
  });

  it('yields nothing for an empty file', async () => {
    expect(await read('')).toEqual([]);
  });

  it('stops on an unclosed quote instead of buffering the rest of the file', async () => {
    const content = `title,year\nA,1\n"B,2\n${'x,1\n'.repeat(300_000)}`;

    await expect(read(content)).rejects.toBeInstanceOf(ImportFailure);
  });
});
