import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { call, eventually } from './support/e2e';
import { exited, expectBalanced, generatedCsv, importFinished, runImport, Session, startOwnStack, upload } from './support/imports';
import { RunningStack } from './support/stack';

jest.setTimeout(300_000);

const UPLOAD_MAX_BYTES = 40 * 1024 * 1024;

/** CSV imports through the admin API on a stack of their own (replace and a killed worker would disturb other suites). */
describe('Catalogue imports', () => {
  let stack: RunningStack;
  let session: Session;
  let dataDir: string;
  let stop: () => Promise<void>;
  let db: Client;
  let apiKey: string;
  const admin = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    call(session.base, `/admin/api${path}`, { ...init, headers: { authorization: `Bearer ${session.token}`, ...init.headers } });
  const api = (path: string, base = stack.gateways[0]) => call(base, path, { headers: { 'x-api-key': apiKey } });
  const movieCount = async () => (await db.query<{ n: number }>('select count(*)::int as n from movies')).rows[0].n;

  beforeAll(async () => {
    ({ stack, dataDir, stop } = await startOwnStack({ gateways: 2, redisDb: 7, name: 'marquee_imports', env: { UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) } }));
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const login = await call(stack.gateways[0], '/admin/api/login', { method: 'POST', body: { username: stack.adminUsername, password: stack.adminPassword } });
    session = { base: stack.gateways[0], token: login.body.access_token };
    const key = await admin('/keys', { method: 'POST', body: { owner_email: 'imports@gmail.com', name: 'imports', plan: 'unlimited' } });
    apiKey = key.body.key;
    await eventually(async () => (await db.query("select count(*)::int as n from imports where status = 'completed'")).rows[0].n, (n) => n > 0, 60_000);
  });

  afterAll(async () => {
    await db?.end();
    await stop?.();
  });

  it('answers 202 at once, then merges: new rows inserted, changed ones updated, identical ones unchanged', async () => {
    const header = 'title,year,genre,director,actors,plot,poster_url\n';
    const queued = await upload(session, `${header}Merge Alpha,2000,Drama,Ann,,First plot,\nMerge Beta,2001,"Action, Comedy",Bob,"Cy, Di",,https://img.example/b.jpg\nMerge Gamma,2002,,,,,\n`, { mode: 'merge', name: 'merge-1.csv' });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ id: expect.any(String), status: 'queued', mode: 'merge', file_name: 'merge-1.csv', created_by: 'admin' });
    const first = await importFinished(session, queued.body.id);
    expect(first).toMatchObject({ status: 'completed', counts: { rows: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 0 }, progress: { percent: 100, rows_total: 3 } });

    const second = await runImport(session, `${header}Merge Alpha,2000,Drama,Ann,,First plot,\nMerge Beta,2001,"Action, Comedy",Bob,"Cy, Di",New plot,https://img.example/b.jpg\nMerge Delta,2003,Horror,,,,\n`);
    expect(second).toMatchObject({ status: 'completed', counts: { rows: 3, inserted: 1, updated: 1, unchanged: 1, duplicates: 0, rejected: 0, deleted: 0 } });
    expectBalanced(second);
    const found = await api('/search?title=Merge%20Beta');
    expect(found.body.data).toEqual([expect.objectContaining({ title: 'Merge Beta', plot: 'New plot', genre: 'Action, Comedy', actors: 'Cy, Di' })]);
  });

  it('serves the new data on the very next call, from every gateway, although they had the movie cached', async () => {
    await runImport(session, 'title,year,plot\nCache Probe,1999,Before\n');
    const id = (await api('/search?title=Cache%20Probe')).body.data[0].id as number;
    for (const base of stack.gateways) expect((await api(`/movies/${id}`, base)).body.plot).toBe('Before');
    await runImport(session, 'title,year,plot\nCache Probe,1999,After\n');
    for (const base of stack.gateways) expect((await api(`/movies/${id}`, base)).body.plot).toBe('After');
  });

  it('reports every rejected row with its line and reason, lands the good rows and counts duplicates', async () => {
    const csv = [
      'Title , YEAR,Poster URL,Rating,plot',                      // 1: any case, spaces, order; Rating unknown
      'Bad Good One,2001,https://img.example/1.jpg,7,"a, quoted ""plot""', // 2
      'spanning lines"',                                          // 3
      ',2002,,1,no title',                                        // 4
      'Bad Year,abc,,1,x',                                        // 5
      'Bad Old,1869,,1,x',                                        // 6
      `Bad Future,${new Date().getUTCFullYear() + 6},,1,x`,       // 7
      'Bad Poster,2003,javascript:alert(1),1,x',                  // 8
      `${'T'.repeat(301)},2004,,1,x`,                             // 9
      'Bad \u0007Bell,2005,,1,x',                                 // 10
      'Bad Short,2006',                                           // 11
      'bad good one ,2001,,1,a duplicate inside the file',        // 12
      '"<img src=x onerror=alert(1)>",2007,,1,shown as text',     // 13
    ].join('\r\n');
    const done = await runImport(session, `\uFEFF${csv}\r\n`);
    expect(done).toMatchObject({ status: 'completed', unknown_columns: ['Rating'], counts: { rows: 11, inserted: 2, duplicates: 1, rejected: 8 } });
    expectBalanced(done);
    expect(done.errors.map((e: { line: number }) => e.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(done.errors).toEqual(expect.arrayContaining([
      { line: 4, reason: 'title is required' },
      { line: 8, reason: 'poster_url must be an http or https URL' },
      { line: 9, reason: 'title is longer than 300 characters' },
      { line: 10, reason: 'title contains a control character' },
      { line: 11, reason: 'expected 5 fields, found 2' },
    ]));
    expect(done.errors.find((e: { line: number }) => e.line === 6).reason).toContain('year must be a whole number from 1870');
    const good = await api('/search?title=Bad%20Good%20One');
    expect(good.body.data).toEqual([expect.objectContaining({ title: 'Bad Good One', plot: 'a, quoted "plot"\r\nspanning lines', poster_url: 'https://img.example/1.jpg' })]);

    const report = await call(session.base, `/admin/api/imports/${done.id}/report.csv`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/csv');
    const lines = (report.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('line,reason');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('lists the catalogue for admins with search, filters, sort on every column and paging', async () => {
    await runImport(session, 'title,year,genre,director\nAdmin List C,1990,Noir,Zed\nAdmin List A,1992,Noir|Drama,Amy\nAdmin List B,1991,Comedy,Bob\n');
    const page = await admin('/movies?q=admin%20list&sort=-year&limit=2');
    expect(page.status).toBe(200);
    expect(page.body.data.map((m: { title: string }) => m.title)).toEqual(['Admin List A', 'Admin List B']);
    expect(page.body.meta).toMatchObject({ page: 1, limit: 2, total: 3, total_pages: 2, total_estimated: false });
    expect(page.body.data[0]).toMatchObject({ year: 1992, genre: 'Noir, Drama', director: 'Amy', updated_at: expect.any(String) });
    const second = await admin('/movies?q=admin%20list&sort=-year&limit=2&page=2');
    expect(second.body.data.map((m: { title: string }) => m.title)).toEqual(['Admin List C']);
    expect((await admin('/movies?q=admin%20list&genre=noir&sort=director')).body.data.map((m: { director: string }) => m.director)).toEqual(['Amy', 'Zed']);
    expect((await admin('/movies?q=admin%20list&year=1991')).body.data.map((m: { title: string }) => m.title)).toEqual(['Admin List B']);
    for (const sort of ['id', '-title', 'genre', '-director', 'actors', '-updated_at']) expect((await admin(`/movies?q=admin%20list&sort=${sort}`)).body.data).toHaveLength(3);
    const bad = await admin('/movies?sort=rating');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('sort');
    expect((await call(session.base, '/admin/api/movies')).status).toBe(401);
  });

  it('exports the catalogue as CSV with formula-like cells neutralised', async () => {
    await runImport(session, 'title,year,plot\n"=HYPERLINK(""http://evil.example"")",2001,"+1 plot"\n@Export At,2002,-minus\n');
    const exported = await call(session.base, '/admin/api/movies/export.csv?q=export%20at', { headers: { authorization: `Bearer ${session.token}` } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const lines = (exported.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('id,title,year,genre,director,actors,plot,poster_url');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d+,'@Export At,2002,,,,'-minus,$/);
    const formula = await call(session.base, '/admin/api/movies/export.csv?q=hyperlink', { headers: { authorization: `Bearer ${session.token}` } });
    expect((formula.body as string).split('\r\n')[1]).toMatch(/^\d+,"'=HYPERLINK\(""http:\/\/evil.example""\)",2001,,,,'\+1 plot,$/);
    const all = await call(session.base, '/admin/api/movies/export.csv', { headers: { authorization: `Bearer ${session.token}` } });
    expect(all.status).toBe(200);
    expect(all.body as string).toContain('Admin List A,1992,"Noir, Drama",Amy');
  });

  it('stores the first 1,000 rejected rows and puts every one in the report', async () => {
    const lines = ['title,year'];
    for (let i = 0; i < 1500; i += 1) lines.push(`Many Bad ${i},20x${i}`);
    lines.push('Many Good,2010');
    const done = await runImport(session, lines.join('\n'));
    expect(done.counts).toMatchObject({ rows: 1501, rejected: 1500, inserted: 1 });
    expect(done.errors).toHaveLength(1000);
    expect(done.errors[999].line).toBe(1001);
    const report = await call(session.base, `/admin/api/imports/${done.id}/report.csv`, { headers: { authorization: `Bearer ${session.token}` } });
    const rows = (report.body as string).trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(1500);
    expect(rows[1499]).toMatch(/^1501,/);
  });

  it('refuses a file that is not CSV text, a header without title or year, a bad mode, a non-multipart, truncated or two-file request', async () => {
    const before = await readdir(join(dataDir, 'uploads')).catch(() => []);
    const binary = await upload(session, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]), { name: 'poster.png' });
    expect(binary.status).toBe(400);
    expect(binary.headers.get('content-type')).toContain('application/problem+json');
    expect(binary.body).toMatchObject({ code: 'IMPORTS.NOT_CSV' });

    const noYear = await upload(session, 'Title,Genre\nNo Year,Drama\n');
    expect(noYear.status).toBe(400);
    expect(noYear.body).toMatchObject({ code: 'IMPORTS.MISSING_COLUMN' });
    expect(noYear.body.detail).toContain('"year"');

    const empty = await upload(session, '');
    expect(empty.status).toBe(400);

    const badMode = await upload(session, 'title,year\nX,2000\n', { mode: 'append' });
    expect(badMode.status).toBe(422);
    expect(badMode.body.detail).toContain('mode');

    const json = await admin('/imports', { method: 'POST', body: { file: 'title,year' } });
    expect(json.status).toBe(415);
    const multipart = (body: string, type = 'multipart/form-data; boundary=x') => fetch(`${session.base}/admin/api/imports`, {
      method: 'POST', headers: { authorization: `Bearer ${session.token}`, 'content-type': type }, body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { detail: string } }));
    const truncated = await multipart('--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\ntitle,year\n');
    expect(truncated).toMatchObject({ status: 400, body: { code: 'IMPORTS.BAD_UPLOAD', detail: 'the upload could not be read: Unexpected end of multipart data' } });
    expect((await multipart('hello', 'multipart/form-data')).body.detail).toContain('Boundary not found');
    const form = new FormData();
    form.append('file', new Blob(['title,year\nA,2000\n']), 'a.csv');
    form.append('file', new Blob(['title,year\nB,2000\n']), 'b.csv');
    const twoFiles = await fetch(`${session.base}/admin/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${session.token}` }, body: form });
    expect({ status: twoFiles.status, body: await twoFiles.json() }).toMatchObject({ status: 400, body: { detail: 'send one file per upload, as the multipart part named "file"' } });
    expect(await readdir(join(dataDir, 'uploads')).catch(() => [])).toEqual(before);
    expect((await admin('/imports/not-a-uuid')).status).toBe(400);
    expect((await admin('/imports/0b6f7e0e-4c3a-4a51-9d55-2f7d3c1e9a10')).status).toBe(404);
  });

  it('answers 413 past the size cap and removes the partial file', async () => {
    const before = await readdir(join(dataDir, 'uploads')).catch(() => []);
    const line = 'Too Big Movie Title,2000,Drama\n';
    const big = `title,year,genre\n${line.repeat(Math.ceil((UPLOAD_MAX_BYTES + 1024) / line.length))}`;
    const answer = await upload(session, big);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ code: 'IMPORTS.TOO_LARGE' });
    expect(await readdir(join(dataDir, 'uploads')).catch(() => [])).toEqual(before);
  });

  it('keeps nothing of an upload the client abandons halfway, and queues no import', async () => {
    const before = await readdir(join(dataDir, 'uploads')).catch(() => []);
    const importsBefore = (await admin('/imports?limit=1')).body.meta.total;
    const target = new URL(`${session.base}/admin/api/imports`);
    const request = httpRequest({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': 10_000_000 },
    });
    request.on('error', () => undefined);
    request.write(`--x\r\nContent-Disposition: form-data; name="file"; filename="half.csv"\r\n\r\ntitle,year\n${'Half Movie,2000\n'.repeat(20_000)}`);
    await new Promise((r) => setTimeout(r, 300));
    request.destroy();
    const left = await eventually(() => readdir(join(dataDir, 'uploads')).catch(() => []), (files) => files.length === before.length, 10_000);
    expect(left).toEqual(before);
    expect((await admin('/imports?limit=1')).body.meta.total).toBe(importsBefore);
    expect((await upload(session, 'title,year\nAfter Abandon,2001\n')).status).toBe(202);
  });

  it('requires the CSRF header on a change made with the admin cookie', async () => {
    const login = await call(session.base, '/admin/api/login', { method: 'POST', body: { username: stack.adminUsername, password: stack.adminPassword } });
    const cookies = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    const form = () => { const f = new FormData(); f.append('file', new Blob(['title,year\nCsrf Movie,2001\n']), 'csrf.csv'); return f; };
    const without = await fetch(`${session.base}/admin/api/imports`, { method: 'POST', body: form(), headers: { cookie: cookies } });
    expect(without.status).toBe(403);
    expect(((await without.json()) as { code: string }).code).toBe('ADMIN.CSRF');
    const withHeader = await fetch(`${session.base}/admin/api/imports`, { method: 'POST', body: form(), headers: { cookie: cookies, 'x-csrf-token': login.body.csrf_token } });
    expect(withHeader.status).toBe(202);
    await importFinished(session, ((await withHeader.json()) as { id: string }).id);
  });

  it('imports a 100,000-row file while the API keeps answering without a 5xx, showing progress on the way', async () => {
    const csv = generatedCsv('Hundred K', 100_000);
    const statuses = new Map<number, number>();
    let running = true;
    const load = async () => {
      for (let i = 0; running; i += 1) {
        const answer = await api(i % 2 ? '/movies?limit=5' : `/search?title=Hundred%20K%20${i}`, stack.gateways[i % 2]);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
    };
    const clients = [load(), load(), load(), load()];
    try {
      const queued = await upload(session, csv);
      expect(queued.status).toBe(202);
      const seen: number[] = [];
      const done = await eventually(async (): Promise<any> => {
        const a = await admin(`/imports/${queued.body.id}`);
        seen.push(a.body.progress.rows_done);
        return a.body;
      }, (b) => b.status === 'completed' || b.status === 'failed', 120_000);
      expect(done).toMatchObject({ status: 'completed', counts: { rows: 100_000, inserted: 100_000, rejected: 0 }, progress: { rows_total: 100_000, percent: 100 } });
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    } finally {
      running = false;
      await Promise.all(clients);
    }
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect((await api('/search?title=Hundred%20K%2099999')).body.data).toHaveLength(1);
  });

  it('names an unclosed quote as the reason the rest of the file was lost, not a field count', async () => {
    const done = await runImport(session, 'title,year\nBefore Quote,2001\n"Open Quote,2002\nSwallowed,2003\n');
    expect(done).toMatchObject({ status: 'completed', counts: { rows: 2, inserted: 1, rejected: 1 } });
    expect(done.errors).toEqual([{ line: 3, reason: expect.stringContaining('a quote opened in this row is never closed') }]);
  });

  it('replaces the catalogue with exactly the valid rows of the file, in one transaction', async () => {
    const before = await movieCount();
    const done = await runImport(session, 'title,year,plot\nMerge Alpha,2000,Replaced\nReplace Only,2020,\n,2021,no title\nreplace only,2020,dup\n', 'replace');
    expect(done).toMatchObject({ status: 'completed', counts: { rows: 4, inserted: 1, updated: 1, unchanged: 0, duplicates: 1, rejected: 1, deleted: before - 1 } });
    expectBalanced(done);
    const { rows } = await db.query('select title, year, plot from movies order by title');
    expect(rows).toEqual([{ title: 'Merge Alpha', year: 2000, plot: 'Replaced' }, { title: 'Replace Only', year: 2020, plot: null }]);
    expect((await api('/movies')).body.meta.total).toBe(2);
  });

  it('retries an import whose worker was killed mid-file and ends with the same table, without duplicates', async () => {
    const rows = 400_000;
    const csv = generatedCsv('Killed', rows, 'First');
    const before = await movieCount();
    const queued = await upload(session, csv);
    expect(queued.status).toBe(202);
    const running = await eventually(() => admin(`/imports/${queued.body.id}`), (a) => a.body.status === 'running' && a.body.progress.rows_done > 0, 60_000);
    expect(running.body).toMatchObject({ status: 'running', attempts: 1 });
    expect(running.body.progress.rows_done).toBeLessThan(rows);

    const ingestion = stack.byLabel['marquee_imports-ingestion'];
    ingestion.kill('SIGKILL');
    await exited(ingestion);
    await stack.spawnService('ingestion', 'marquee_imports-ingestion-2');

    const done = await importFinished(session, queued.body.id, 180_000);
    expect(done).toMatchObject({ status: 'completed', counts: { rows, inserted: rows, rejected: 0, duplicates: 0 } });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(await movieCount()).toBe(before + rows);
    const { rows: [dup] } = await db.query<{ n: number }>(`select count(*)::int as n from (select title_key, year from movies group by 1, 2 having count(*) > 1) d`);
    expect(dup.n).toBe(0);

    const again = await runImport(session, csv);
    expect(again.counts).toMatchObject({ rows, inserted: 0, updated: 0, unchanged: rows });
  });
});
