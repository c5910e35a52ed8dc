import { adminToken, call, catalogueLoaded, createKey, eventually, stack, uniqueEmail, withDb } from './support/e2e';

describe('Public movie API', () => {
  let gateway: string;
  let key: string;
  const get = (path: string) => call(gateway, path, { headers: { 'x-api-key': key } });

  beforeAll(async () => {
    gateway = stack().gateways[0];
    await catalogueLoaded();
    key = (await createKey(await adminToken(), uniqueEmail('movies'), 'unlimited')).key;
  });

  it('lists the starter catalogue with page meta and snake_case movies', async () => {
    const answer = await get('/movies?limit=5');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(5);
    expect(Object.keys(answer.body.data[0]).sort()).toEqual(['actors', 'director', 'genre', 'id', 'plot', 'poster_url', 'title', 'year']);
    expect(answer.body.meta).toMatchObject({ page: 1, limit: 5, total_estimated: false });
    expect(answer.body.meta.total).toBeGreaterThanOrEqual(500);
    expect(answer.body.meta.total_pages).toBe(Math.ceil(answer.body.meta.total / 5));
    expect(typeof answer.body.meta.next_cursor).toBe('string');
  });

  it('serves the same answers under /v1', async () => {
    const [plain, versioned] = await Promise.all([get('/movies?limit=3&sort=title'), get('/v1/movies?limit=3&sort=title')]);
    expect(versioned.status).toBe(200);
    expect(versioned.body).toEqual(plain.body);
    const one = plain.body.data[0];
    expect((await get(`/v1/movies/${one.id}`)).body).toEqual(one);
    expect((await get('/v1/search?title=godfather')).body.data.length).toBeGreaterThan(0);
  });

  it('sorts by title, -title, year, -year and id', async () => {
    const titles = (await get('/movies?sort=title&limit=50')).body.data.map((m: { title: string }) => m.title);
    expect(titles).toEqual([...titles].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    const desc = (await get('/movies?sort=-year&limit=50')).body.data.map((m: { year: number }) => m.year);
    expect(desc).toEqual([...desc].sort((a: number, b: number) => b - a));
    const asc = (await get('/movies?sort=year&limit=50')).body.data.map((m: { year: number }) => m.year);
    expect(asc).toEqual([...asc].sort((a: number, b: number) => a - b));
    const ids = (await get('/movies?sort=id&limit=50')).body.data.map((m: { id: number }) => m.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
  });

  it('counts a search total exactly on every page, by number and by cursor, up to COUNT_CAP', async () => {
    const exact = await withDb(async (db) =>
      (await db.query("select count(*)::int as n from movies where genre_keys @> array['drama'] and year >= 1990")).rows[0].n as number);
    expect(exact).toBeGreaterThan(20);
    expect(exact).toBeLessThanOrEqual(1000);
    const first = await get('/search?genre=Drama&year_from=1990&limit=10');
    const second = await get('/search?genre=Drama&year_from=1990&limit=10&page=2');
    const byCursor = await get(`/search?genre=Drama&year_from=1990&limit=10&cursor=${first.body.meta.next_cursor}`);
    for (const answer of [first, second, byCursor]) {
      expect(answer.body.meta).toMatchObject({ total: exact, total_estimated: false, total_pages: Math.ceil(exact / 10) });
    }
    const past = await get(`/search?genre=Drama&year_from=1990&limit=10&page=${Math.ceil(exact / 10) + 1}`);
    expect(past.body).toMatchObject({ data: [], meta: { total: exact, total_estimated: false } });
  });

  it('estimates a search total past COUNT_CAP (1,000) and says so', async () => {
    // Ingestion analyzes the catalogue just after announcing an import: estimates come from that.
    await eventually(
      () => withDb(async (db) => (await db.query("select n_mod_since_analyze::int as n from pg_stat_user_tables where relname = 'movies'")).rows[0].n as number),
      (unanalyzed) => unanalyzed === 0, 30_000);
    const exact = await withDb(async (db) => (await db.query('select count(*)::int as n from movies where year >= 1900')).rows[0].n as number);
    expect(exact).toBeGreaterThan(1000);
    const answer = await get('/search?year_from=1900&limit=10');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(10);
    expect(answer.body.meta.total_estimated).toBe(true);
    expect(Math.abs(answer.body.meta.total - exact)).toBeLessThanOrEqual(exact * 0.1);
  });

  it('walks a broad search to its end by cursor, in order, without repeats or gaps', async () => {
    const expected = await withDb(async (db) =>
      (await db.query('select id from movies where year >= 1900 order by title, id')).rows.map((r: { id: string }) => Number(r.id)));
    expect(expected.length).toBeGreaterThan(1000);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const answer = await get(`/search?year_from=1900&sort=title&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      seen.push(...answer.body.data.map((m: { id: number }) => m.id));
      cursor = answer.body.meta.next_cursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('finds people in any case exactly as ILIKE does, walked past COUNT_CAP and gathered below it', async () => {
    const ilike = (column: string, term: string) => withDb(async (db) =>
      (await db.query(`select id from movies where ${column} ilike $1 order by title, id limit 100`, [`%${term}%`])).rows.map((r: { id: string }) => Number(r.id)));
    const ids = (answer: { body: { data: { id: number }[] } }) => answer.body.data.map((m) => m.id);

    // "A" is in most casts: more matches than COUNT_CAP, so the page comes from walking the title index.
    const broad = await get('/search?actor=A&limit=100');
    expect(broad.body.meta.total_estimated).toBe(true);
    expect(ids(broad)).toEqual(await ilike('actors', 'A'));

    // A handful of movies, gathered through the trigram index; the name's case and accents are the user's.
    const few = await get(`/search?actor=${encodeURIComponent('TIMOTHÉE chalamet')}&limit=100`);
    const chalamet = await ilike('actors', 'Timothée Chalamet');
    expect(chalamet.length).toBeGreaterThan(0);
    expect(few.body.meta).toMatchObject({ total_estimated: false, total: chalamet.length });
    expect(ids(few)).toEqual(chalamet);

    const director = await get(`/search?director=${encodeURIComponent('FRANÇOIS')}&actor=a&limit=100`);
    expect(ids(director)).toEqual(await withDb(async (db) => (await db.query(
      "select id from movies where director ilike '%françois%' and actors ilike '%a%' order by title, id")).rows.map((r: { id: string }) => Number(r.id))));
    expect(ids(director).length).toBeGreaterThan(0);
  });

  it('pages by number and by cursor over the same rows', async () => {
    const page1 = await get('/movies?sort=title&limit=10&page=1');
    const page2 = await get('/movies?sort=title&limit=10&page=2');
    const byCursor = await get(`/movies?sort=title&limit=10&cursor=${page1.body.meta.next_cursor}`);
    expect(byCursor.status).toBe(200);
    expect(byCursor.body.data).toEqual(page2.body.data);
    expect(byCursor.body.meta.page).toBeNull();
  });

  it('walks the whole catalogue by cursor without repeats or gaps', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const answer = await get(`/movies?sort=-year&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...answer.body.data.map((m: { id: number }) => m.id));
      cursor = answer.body.meta.next_cursor;
    } while (cursor);
    const total = (await get('/movies?limit=1')).body.meta.total;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('finds a movie by id, 404 when absent, 400 when the id is not an integer', async () => {
    const first = (await get('/movies?limit=1')).body.data[0];
    expect((await get(`/movies/${first.id}`)).body).toEqual(first);
    const absent = await get('/movies/987654321');
    expect(absent.status).toBe(404);
    expect(absent.headers.get('content-type')).toContain('application/problem+json');
    expect(absent.body).toMatchObject({ status: 404, title: 'Not Found' });
    for (const bad of ['abc', '1.5', '-3', '1e3']) {
      const answer = await get(`/movies/${bad}`);
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toContain('id');
    }
  });

  it('searches titles as case-insensitive substrings', async () => {
    const answer = await get('/search?title=GODFATHER');
    expect(answer.status).toBe(200);
    expect(answer.body.data.length).toBeGreaterThanOrEqual(2);
    for (const m of answer.body.data) expect(m.title.toLowerCase()).toContain('godfather');
  });

  it('finds a movie listing several genres by any one of them', async () => {
    const { rows } = await withDb((db) => db.query("select id, genres from movies where cardinality(genres) > 1 limit 1"));
    const [movie] = rows;
    const second = movie.genres[1].toLowerCase();
    const answer = await get(`/search?genre=${encodeURIComponent(second)}&limit=100&sort=id`);
    expect(answer.status).toBe(200);
    for (const m of answer.body.data) expect(m.genre.toLowerCase().split(', ')).toContain(second);
    const all = await get(`/search?genre=${encodeURIComponent(second.toUpperCase())}&limit=1`);
    expect(all.body.meta.total).toBe(answer.body.meta.total);
    const drama = await get('/search?genre=drama&limit=100');
    expect(drama.body.data.some((m: { genre: string }) => m.genre.includes(',') && m.genre.toLowerCase().includes('drama'))).toBe(true);
  });

  it('combines criteria: year range, director and actor', async () => {
    const answer = await get('/search?director=nolan&year_from=2000&year_to=2015&sort=year');
    expect(answer.status).toBe(200);
    expect(answer.body.data.length).toBeGreaterThan(0);
    for (const m of answer.body.data) {
      expect(m.director.toLowerCase()).toContain('nolan');
      expect(m.year).toBeGreaterThanOrEqual(2000);
      expect(m.year).toBeLessThanOrEqual(2015);
    }
    const withActor = await get('/search?actor=pacino&year=1972');
    expect(withActor.body.data.map((m: { title: string }) => m.title)).toContain('The Godfather');
  });

  it('matches a term with spaces as the phrase it is: words apart or spaced otherwise are not a match', async () => {
    const cases: [string, 'title' | 'director' | 'actors', string][] = [
      ['title', 'title', 'the godfather'], ['title', 'title', 'godfather part'], ['title', 'title', 'the  godfather'],
      ['actor', 'actors', 'al pacino'], ['actor', 'actors', 'pacino al'], ['director', 'director', 'Christopher Nolan'],
      ['title', 'title', 'AMÉLIE'], ['director', 'director', 'PEDRO ALMODÓVAR'],
      // three and more words: the indexes look for the characters around the first and last word boundaries
      ['title', 'title', 'the lord of the'], ['title', 'title', 'return of the king'], ['actor', 'actors', 'ian mckellen, viggo'],
      ['title', 'title', 'star wars: episode'], ['title', 'title', 'no country for old men'],
    ];
    for (const [param, column, term] of cases) {
      const answer = await get(`/search?${param}=${encodeURIComponent(term)}&limit=100`);
      const { rows: [{ n }] } = await withDb((db) => db.query(`select count(*)::int as n from movies where strpos(lower(${column}), lower($1)) > 0`, [term]));
      expect({ term, status: answer.status, total: answer.body.meta?.total }).toEqual({ term, status: 200, total: n });
      for (const m of answer.body.data) expect(m[param === 'actor' ? 'actors' : param].toLowerCase()).toContain(term.toLowerCase());
    }
    const phrase = await get('/search?actor=al%20pacino');
    expect(phrase.body.data.map((m: { title: string }) => m.title)).toContain('The Godfather');
  });

  it('matches % _ \\ quotes and brackets in a title literally', async () => {
    for (const text of ['%', '_', '\\', "'", '"', '[', ']', '(', "%' or 1=1 --"]) {
      const answer = await get(`/search?title=${encodeURIComponent(text)}&limit=100`);
      expect(answer.status).toBe(200);
      for (const m of answer.body.data) expect(m.title).toContain(text);
    }
    const percent = await get('/search?title=%25');
    expect(percent.body.meta.total).toBeLessThan((await get('/movies?limit=1')).body.meta.total);
  });

  it('refuses malformed parameters with 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/movies?page=0', 'page'], ['/movies?page=abc', 'page'], ['/movies?limit=101', 'limit'], ['/movies?limit=0', 'limit'],
      ['/movies?sort=rating', 'sort'], ['/search?year=nineteen', 'year'], ['/search?year=1999.5', 'year'],
      [`/search?title=${'x'.repeat(201)}`, 'title'], ['/search?year_from=2000&year_to=1990', 'year_from'],
      ['/movies?cursor=not-a-cursor', 'cursor'], ['/movies?page=1&page=2', 'page is given more than once'],
      // A cursor is the client's to send back: one forged with a NUL in its title is refused, not a 500.
      [`/movies?sort=title&cursor=${Buffer.from(JSON.stringify(['title', '\u0000x', 1])).toString('base64url')}`, 'cursor'],
      ['/movies?page=99999999999999999999', 'past the deepest page'],
      // PostgreSQL text cannot hold a NUL: refused up front, not a 500 from the query.
      ['/search?title=%00', 'title'], ['/search?director=Cop%00pola', 'director'], ['/v1/search?genre=drama%00', 'genre'],
    ];
    for (const [path, parameter] of cases) {
      const answer = await get(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.detail).toContain(parameter);
    }
  });

  it('refuses a malformed percent-escape in a parameter with 400 naming it, and ignores one in a parameter it does not take', async () => {
    const cases: [string, string][] = [
      ['/search?title=%E0%A4%A', 'title'], ['/search?title=%zz', 'title'], ['/search?title=100%', 'title'],
      ['/v1/search?director=caf%C3', 'director'], ['/movies?sort=%zz', 'sort'], ['/movies?limit=1%', 'limit'],
    ];
    for (const [path, parameter] of cases) {
      const answer = await get(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ code: 'INVALID_PARAMETER', detail: expect.stringMatching(new RegExp(`^${parameter} is not valid percent-encoding`)) });
      // Refused after the key check, as every malformed parameter is: the limit headers are there.
      expect(answer.headers.get('x-ratelimit-limit')).toBe('unlimited');
    }
    const fine = await get('/search?title=%E0%A4%A4&utm_source=%zz');
    expect(fine.status).toBe(200);
    expect((await get('/search?title=%25')).status).toBe(200);
  });

  it('answers problem+json for what no route takes: a malformed escape, an over-long id, oversized headers, a wrong method', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ['/movies/%E0%A4%A', {}, 400, 'malformed percent-escape'],
      [`/movies/${'1'.repeat(150)}`, {}, 414, 'longer than 100 characters'],
      ['/movies/1', { 'x-padding': 'x'.repeat(20_000) }, 431, 'headers are larger than the server accepts'],
      [`/search?title=${'x'.repeat(20_000)}`, {}, 431, 'the URL included'],
    ];
    for (const [path, headers, status, words] of cases) {
      const answer = await call(gateway, path, { headers: { 'x-api-key': key, ...headers } });
      expect({ path: path.slice(0, 30), status: answer.status }).toEqual({ path: path.slice(0, 30), status });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status, detail: expect.stringContaining(words) });
    }
    expect((await get('/movies/1')).status).toBe(200);

    const wrongMethod = await call(gateway, '/movies/1', { method: 'DELETE', headers: { 'x-api-key': key } });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect(wrongMethod.body.detail).toBe('DELETE is not allowed on /movies/1; it answers GET, HEAD');
    expect((await call(gateway, '/no/such/path', { headers: { 'x-api-key': key } })).status).toBe(404);
  });

  it('takes a blank page or limit as not given, and a search term without the spaces around it', async () => {
    const blank = await get('/movies?page=&limit=');
    expect(blank.status).toBe(200);
    expect(blank.body.meta).toMatchObject({ page: 1, limit: 20 });
    const exact = await get('/search?director=coppola');
    const padded = await get('/search?director=%20coppola%20');
    expect(exact.body.meta.total).toBeGreaterThan(0);
    expect(padded.body.meta.total).toBe(exact.body.meta.total);
  });

  it('answers 404 for an id no movie can have and for /movies/ with no id, without counting the latter', async () => {
    const huge = await get('/movies/9999999999999999');
    expect(huge.status).toBe(404);
    expect(huge.body.detail).toBe('no movie with id 9999999999999999');
    const counted = (await createKey(await adminToken(), uniqueEmail('movies-no-id'), 'pro')).key;
    const remaining = async () => Number((await call(gateway, '/movies/1', { headers: { 'x-api-key': counted } })).headers.get('x-quota-remaining'));
    const before = await remaining();
    const noId = await call(gateway, '/movies/', { headers: { 'x-api-key': counted } });
    expect(noId.status).toBe(404);
    expect(noId.headers.get('content-type')).toContain('application/problem+json');
    expect(await remaining()).toBe(before - 1);
  });

  it('never reports an estimated total below the movies already paged through, and ends on the exact one', async () => {
    // More matches than COUNT_CAP (1,000), so the first pages carry the planner's estimate.
    let page = 1;
    let estimated = 0;
    for (;;) {
      const answer = await get(`/search?actor=a&limit=100&page=${page}`);
      expect(answer.status).toBe(200);
      const { meta, data } = answer.body;
      const served = (page - 1) * 100 + data.length;
      expect({ page, atLeast: meta.total >= served + (meta.next_cursor ? 1 : 0) }).toEqual({ page, atLeast: true });
      if (meta.total_estimated) estimated += 1;
      if (!meta.next_cursor) {
        expect(meta).toMatchObject({ total: served, total_estimated: false, total_pages: page });
        break;
      }
      expect(page).toBeLessThan(100);
      page += 1;
    }
    expect(estimated).toBeGreaterThan(0);
  });

  it('answers 400 for a search without criteria and ignores unknown parameters', async () => {
    const none = await get('/search?foo=bar');
    expect(none.status).toBe(400);
    expect(none.body.detail).toMatch(/title.*genre/);
    expect((await get('/movies?limit=2&colour=blue')).status).toBe(200);
  });

  it('caps numbered paging and points to the cursor beyond it', async () => {
    const deep = await get('/movies?page=5000&limit=20');
    expect(deep.status).toBe(400);
    expect(deep.body.detail).toContain('cursor');
  });
});
