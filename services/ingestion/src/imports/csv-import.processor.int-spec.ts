import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { eventChannel } from '@marquee/common';
import { CsvImportJob, INGESTION_EVENTS, ImportMode, MoviesImportedEvent } from '@marquee/contracts';
import { migrate } from '@marquee/database';
import { dropDatabase, PG_SERVER, redisUrl } from '../../../../test/support/servers';
import { loadIngestionEnv } from '../config/ingestion.env';
import { IngestionModule } from '../ingestion.module';
import { CsvImportProcessor } from './csv-import.processor';
import { ImportsService } from './imports.service';

jest.setTimeout(60_000);

const SERVER = PG_SERVER;
const REDIS_URL = redisUrl(9);
const DATABASE = `marquee_it_ingestion_${randomBytes(4).toString('hex')}`;
const DATABASE_URL = `${SERVER}/${DATABASE}`;

interface ImportRow {
  id: string; status: string; failure: string | null; attempts: number; bytes_total: string; bytes_done: string;
  rows_done: number; inserted: number; updated: number; unchanged: number; duplicates: number; rejected: number;
  deleted: number; errors: { line: number; reason: string }[]; unknown_columns: string[]; created_by: string;
}

describe('CsvImportProcessor', () => {
  let app: INestApplicationContext;
  let db: Client;
  let redis: Redis;
  let dir: string;

  /** What a rebuild must carry over: indexes and the statistics targets searches plan on. */
  const catalogueShape = async () => ({
    indexes: (await db.query<{ indexdef: string }>(`select indexdef from pg_indexes where tablename = 'movies' order by indexname`)).rows.map((i) => i.indexdef),
    statistics: (await db.query<{ attname: string; attstattarget: number }>(
      `select attname, attstattarget from pg_attribute where attrelid = 'movies'::regclass and attnum > 0 and not attisdropped order by attnum`)).rows,
    indexStatistics: (await db.query<{ relname: string; attnum: number; attstattarget: number }>(
      `select c.relname, a.attnum, a.attstattarget from pg_index i join pg_class c on c.oid = i.indexrelid join pg_attribute a on a.attrelid = i.indexrelid
       where i.indrelid = 'movies'::regclass and a.attstattarget > 0 order by c.relname, a.attnum`)).rows,
  });

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    await redis.flushdb();
    await migrate(DATABASE_URL, () => undefined);
    db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    dir = await mkdtemp(join(tmpdir(), 'marquee-ingestion-'));
    const starter = join(dir, 'movies.csv');
    await writeFile(starter, 'title,year,genre\nStarter One,1990,Drama\nStarter Two,1991,Comedy\n');
    const env = loadIngestionEnv({ DATABASE_URL, REDIS_URL, DATA_DIR: dir, LOG_LEVEL: 'silent' });
    app = await NestFactory.createApplicationContext(IngestionModule.forRoot(env), { logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await redis?.flushdb();
    redis?.disconnect();
    await dropDatabase(DATABASE);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function waitFinished(id: string): Promise<ImportRow> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const { rows } = await db.query<ImportRow>('select * from imports where id = $1', [id]);
      if (rows[0] && (rows[0].status === 'completed' || rows[0].status === 'failed')) return rows[0];
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`import ${id} did not finish`);
  }

  async function runImport(name: string, content: string | Buffer, mode: ImportMode = 'merge'): Promise<ImportRow> {
    const path = join(dir, name);
    await writeFile(path, content);
    const created = await app.get(ImportsService).enqueue(path, name, mode, 'test');
    return waitFinished(created.id);
  }

  async function movie(title: string, year: number) {
    const { rows } = await db.query('select title, year, genres, genre_keys, director, actors, plot, poster_url from movies where title_key = lower($1) and year = $2', [title, year]);
    return rows[0];
  }

  function expectBalanced(row: ImportRow) {
    expect(row.inserted + row.updated + row.unchanged + row.duplicates + row.rejected).toBe(row.rows_done);
  }

  it('imports the starter catalogue on first start', async () => {
    const { rows } = await db.query<{ id: string }>(`select id from imports where created_by = 'system'`);
    expect(rows).toHaveLength(1);

    const done = await waitFinished(rows[0].id);

    expect(done).toMatchObject({ status: 'completed', inserted: 2, rows_done: 2 });
    expect(await movie('Starter Two', 1991)).toMatchObject({ genres: ['Comedy'], genre_keys: ['comedy'] });
  });

  it('merges: inserts new rows, updates changed ones, counts identical ones as unchanged, and emits the event', async () => {
    const events: MoviesImportedEvent[] = [];
    const subscriber = new Redis(REDIS_URL);
    await subscriber.subscribe(eventChannel(REDIS_URL, INGESTION_EVENTS.moviesImported));
    subscriber.on('message', (_channel, message: string) => events.push((JSON.parse(message) as { data: MoviesImportedEvent }).data));
    try {
      const header = 'title,year,genre,director,actors,plot,poster_url\n';
      await runImport('merge-1.csv', `${header}Alpha,2000,Drama,Ann,,First plot,\nBeta,2001,"Action, Comedy",Bob,"Cy, Di",,https://img.example/b.jpg\nGamma,2002,,,,,\n`);

      const second = await runImport('merge-2.csv', `${header}Alpha,2000,Drama,Ann,,First plot,\nBeta,2001,"Action, Comedy",Bob,"Cy, Di",New plot,https://img.example/b.jpg\nDelta,2003,Horror,,,,\n`);

      expect(second).toMatchObject({ status: 'completed', inserted: 1, updated: 1, unchanged: 1, deleted: 0, rows_done: 3, attempts: 1, failure: null });
      expect(Number(second.bytes_done)).toBe(Number(second.bytes_total));
      expect(await movie('Beta', 2001)).toMatchObject({ plot: 'New plot', genres: ['Action', 'Comedy'], actors: 'Cy, Di', poster_url: 'https://img.example/b.jpg' });
      expect(await movie('Gamma', 2002)).toMatchObject({ director: null, plot: null, genres: [] });
      await new Promise((r) => setTimeout(r, 200));
      expect(events).toContainEqual({ importId: second.id, mode: 'merge', inserted: 1, updated: 1, deleted: 0 });
    } finally {
      subscriber.disconnect();
    }
  });

  it('reports rejected rows with their physical line numbers, counting newlines inside quoted fields', async () => {
    const csv = [
      'title,year,plot',                               // 1
      'Lines Good,2001,"He said ""stop""',             // 2
      'and then ""left""',                             // 3
      '"',                                             // 4 (the quote closing a field that spans lines)
      ',2002,no title',                                // 5
      'Lines Bad Year,abc,x',                          // 6
      '',                                              // 7 (blank: skipped, still a line)
      '"Lines Split',                                  // 8
      'Title",2003,newline in the title',              // 9
      'Lines Future,2999,x',                           // 10
      'Lines Short,2004',                              // 11
      'Lines Last,2005,"ok"',                          // 12
    ].join('\n');

    const done = await runImport('lines.csv', csv);

    expect(done).toMatchObject({ status: 'completed', inserted: 2, rejected: 5, rows_done: 7 });
    expect(done.errors.map((e) => e.line)).toEqual([5, 6, 8, 10, 11]);
    expect(done.errors[0].reason).toBe('title is required');
    expect(done.errors[2].reason).toBe('title contains a control character');
    expect(done.errors[4].reason).toBe('expected 3 fields, found 2');
    expect((await movie('Lines Good', 2001)).plot).toBe('He said "stop"\nand then "left"');
    expectBalanced(done);
  });

  it('reads a file with a byte order mark and CRLF line endings', async () => {
    const csv = '\uFEFFtitle,year,plot\r\nCrlf One,2010,"two\r\nlines"\r\nCrlf Bad,1700,old\r\nCrlf Two,2011,plain\r\n';

    const done = await runImport('bom-crlf.csv', Buffer.from(csv, 'utf8'));

    expect(done).toMatchObject({ status: 'completed', inserted: 2, rejected: 1, unknown_columns: [] });
    expect(done.errors).toEqual([{ line: 4, reason: expect.stringContaining('year must be') }]);
    expect(await movie('Crlf One', 2010)).toMatchObject({ title: 'Crlf One', plot: 'two\r\nlines' });
    expect(await movie('Crlf Two', 2011)).toMatchObject({ plot: 'plain' });
  });

  it('keeps the first of rows repeated inside the file and counts the rest as duplicates', async () => {
    const csv = 'title,year,director\nDup Film,1980,First\ndup  film ,1980,Second\nDup Film,1981,Other year\nDUP FILM,1980,Third\n';

    const done = await runImport('dups.csv', csv);

    expect(done).toMatchObject({ status: 'completed', inserted: 2, duplicates: 2, rows_done: 4 });
    expect((await movie('Dup Film', 1980)).director).toBe('First');
    expectBalanced(done);
  });

  it('matches headers in another case and order and lists unknown columns', async () => {
    const csv = ' Poster URL ,Rating,YEAR, Title ,Genres,imdb_id\nhttps://img.example/h.jpg,8.1,1995,Header Heat,Crime|Drama,tt0113277\n';

    const done = await runImport('headers.csv', csv);

    expect(done).toMatchObject({ status: 'completed', inserted: 1, unknown_columns: ['Rating', 'imdb_id'] });
    expect(await movie('Header Heat', 1995)).toMatchObject({ poster_url: 'https://img.example/h.jpg', genres: ['Crime', 'Drama'] });
  });

  it('fails without retrying when the year column is missing', async () => {
    const done = await runImport('no-year.csv', 'title,genre\nNo Year,Drama\n');

    expect(done.status).toBe('failed');
    expect(done.failure).toContain('"year"');
    expect(done.attempts).toBe(1);
    expect(await movie('No Year', 2000)).toBeUndefined();
  });

  it('fails when the file is missing', async () => {
    const created = await app.get(ImportsService).enqueue(join(dir, 'absent.csv'), 'absent.csv', 'merge', 'test');

    const done = await waitFinished(created.id);

    expect(done).toMatchObject({ status: 'failed', failure: expect.stringContaining('does not exist'), attempts: 1 });
  });

  it('imports a file larger than one COPY batch', async () => {
    const lines = ['title,year,genre'];
    for (let i = 0; i < 12_345; i++) lines.push(`Bulk ${i},${1900 + (i % 100)},Genre ${i % 7}`);

    const done = await runImport('bulk.csv', `${lines.join('\n')}\n`);

    expect(done).toMatchObject({ status: 'completed', inserted: 12_345, rows_done: 12_345, rejected: 0 });
    const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from movies where title like 'Bulk %'`);
    expect(rows[0].n).toBe(12_345);
  });

  it('restarts a retried attempt from scratch and converges on the same table', async () => {
    const first = await runImport('retry.csv', 'title,year\nRetry A,1970\nRetry B,1971\nRetry A,1970\n');
    const before = (await db.query('select id, title, year, updated_at from movies order by id')).rows;
    await db.query(`update imports set status = 'running', inserted = 99, rejected = 7 where id = $1`, [first.id]);
    const job = { id: first.id, data: { importId: first.id }, attemptsMade: 0, opts: { attempts: 3 } } as Job<CsvImportJob>;

    await app.get(CsvImportProcessor).process(job);

    const again = await waitFinished(first.id);
    expect(again).toMatchObject({ status: 'completed', inserted: 0, updated: 0, unchanged: 2, duplicates: 1, rejected: 0, attempts: 2 });
    expect((await db.query('select id, title, year, updated_at from movies order by id')).rows).toEqual(before);
  });

  it('replaces the whole catalogue in one transaction, deleting movies absent from the file', async () => {
    const { rows: [{ n: total }] } = await db.query<{ n: number }>('select count(*)::int as n from movies');
    const csv = 'title,year,plot\nAlpha,2000,Replaced plot\nOmega,2020,\n';

    const done = await runImport('replace.csv', csv, 'replace');

    expect(done).toMatchObject({ status: 'completed', inserted: 1, updated: 1, deleted: total - 1 });
    const { rows } = await db.query<{ title: string; plot: string | null }>('select title, plot from movies order by title');
    expect(rows).toEqual([{ title: 'Alpha', plot: 'Replaced plot' }, { title: 'Omega', plot: null }]);
  });

  it('refuses to replace the catalogue with a file without valid rows', async () => {
    const done = await runImport('replace-empty.csv', 'title,year\n,2000\n', 'replace');

    expect(done).toMatchObject({ status: 'failed', failure: expect.stringContaining('no valid rows') });
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from movies');
    expect(rows[0].n).toBe(2);
  });
  it('keeps ids, creation times and untouched rows when an import as large as the catalogue rebuilds the table', async () => {
    const before = (await db.query<{ id: string; title: string; created_at: Date; updated_at: Date }>('select id, title, created_at, updated_at from movies order by id')).rows;
    expect(before.map((m) => m.title)).toEqual(['Alpha', 'Omega']);
    const shapeBefore = await catalogueShape();
    expect(shapeBefore.statistics).toContainEqual({ attname: 'title', attstattarget: 1000 });
    expect(shapeBefore.indexStatistics).toContainEqual({ relname: 'movies_people_spaceless_trgm_idx', attnum: 2, attstattarget: 1000 });
    const csv = 'title,year,plot\nAlpha,2000,Rebuilt plot\nRebuild One,2001,\nRebuild Two,2002,\nRebuild Three,2003,\n';
    const done = await runImport('rebuild.csv', csv);
    expect(done).toMatchObject({ status: 'completed', inserted: 3, updated: 1, unchanged: 0, deleted: 0 });
    const after = (await db.query<{ id: string; title: string; plot: string | null; created_at: Date; updated_at: Date }>('select id, title, plot, created_at, updated_at from movies order by id')).rows;
    expect(after.slice(0, 2)).toEqual([
      { ...before[0], plot: 'Rebuilt plot', updated_at: expect.any(Date) },
      { ...before[1], plot: null },
    ]);
    expect(after[0].updated_at.getTime()).toBeGreaterThan(before[0].updated_at.getTime());
    expect(after.slice(2).map((m) => Number(m.id)).every((id) => id > Number(before[1].id))).toBe(true);
    expect(await catalogueShape()).toEqual(shapeBefore);
    const { rows: [next] } = await db.query<{ id: string }>(`insert into movies (title, title_key, year) values ('After', 'after', 2010) returning id`);
    expect(Number(next.id)).toBeGreaterThan(Math.max(...after.map((m) => Number(m.id))));
  });

  it('rebuilds over the half-built table a killed earlier attempt left behind', async () => {
    await db.query('create table movies_next (left_by_a_killed_worker int)');
    const existing = (await db.query<{ n: number }>('select count(*)::int as n from movies')).rows[0].n;
    const csv = `title,year\n${Array.from({ length: existing + 1 }, (_, i) => `Leftover ${i},${1950 + (i % 50)}`).join('\n')}\n`;
    const done = await runImport('leftover.csv', csv);
    expect(done).toMatchObject({ status: 'completed', inserted: existing + 1 });
    expect((await db.query(`select to_regclass('movies_next') as t`)).rows[0].t).toBeNull();
    expect((await db.query<{ n: number }>('select count(*)::int as n from movies')).rows[0].n).toBe(existing * 2 + 1);
  });

  it('replaces through a rebuild when the file is as large as the catalogue, counting what it kept, changed and deleted', async () => {
    const { rows: leftovers } = await db.query<{ title: string; year: number }>(`select title, year from movies where title like 'Leftover %' order by id limit 2`);
    const { rows: [{ n: total }] } = await db.query<{ n: number }>('select count(*)::int as n from movies');
    const added = Array.from({ length: total - 1 }, (_, i) => `Replacement ${i},${1900 + (i % 100)},`);
    const csv = ['title,year,plot', `${leftovers[0].title},${leftovers[0].year},`, `${leftovers[1].title},${leftovers[1].year},A new plot`, ...added].join('\n');

    const done = await runImport('replace-rebuild.csv', `${csv}\n`, 'replace');

    expect(done).toMatchObject({ status: 'completed', inserted: total - 1, updated: 1, unchanged: 1, deleted: total - 2 });
    const { rows: [{ n: after }] } = await db.query<{ n: number }>('select count(*)::int as n from movies');
    expect(after).toBe(total + 1);
    expect((await movie(leftovers[1].title, leftovers[1].year)).plot).toBe('A new plot');
    expectBalanced(done);
  });

  it('loads a first catalogue straight into a new table: the first of repeated rows kept, bad rows reported, same indexes and ids after', async () => {
    const shapeBefore = await catalogueShape();
    const { rows: [{ max: lastId }] } = await db.query<{ max: string }>('select max(id) as max from movies');
    await db.query('delete from movies');
    await db.query('create table movies_next (left_by_a_killed_worker int)');
    const csv = 'title,year,director,genre\nFirst Load,1990,Kept,\nSecond Load,1991,,"Drama, Comédie"\nfirst  LOAD,1990,Dropped,\n'
      + 'No Year,,,\nSecond Load,1991,Dropped too,\nAmélie 東京,2001,Jean-Pierre Jeunet,Romance\n';

    const done = await runImport('first-load.csv', csv);

    expect(done).toMatchObject({ status: 'completed', inserted: 3, duplicates: 2, rejected: 1, rows_done: 6 });
    expect(done.errors).toEqual([{ line: 5, reason: expect.stringContaining('year must be') }]);
    const { rows: report } = await db.query('select line, reason from import_rejections where import_id = $1', [done.id]);
    expect(report).toEqual([{ line: 5, reason: expect.stringContaining('year must be') }]);
    const { rows } = await db.query<{ id: string; title: string; director: string | null; genres: string[]; genre_keys: string[] }>(
      'select id, title, director, genres, genre_keys from movies order by id');
    expect(rows.map((m) => [m.title, m.director, m.genres, m.genre_keys])).toEqual([
      ['First Load', 'Kept', [], []],
      ['Second Load', null, ['Drama', 'Comédie'], ['drama', 'comédie']],
      ['Amélie 東京', 'Jean-Pierre Jeunet', ['Romance'], ['romance']],
    ]);
    expect(rows.every((m) => Number(m.id) > Number(lastId))).toBe(true);
    expect(await catalogueShape()).toEqual(shapeBefore);
    expect((await db.query(`select to_regclass('movies_next') as t`)).rows[0].t).toBeNull();
    const { rows: [duplicate] } = await db.query(`select count(*)::int as n from movies where title_key = 'first load' and year = 1990`);
    expect(duplicate.n).toBe(1);
    expectBalanced(done);
  });
});
