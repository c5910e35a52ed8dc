import { Client } from 'pg';
import { boundedWalkQuery } from '../../../catalog/src';
import { databaseBefore, DatabaseBefore } from '../../../../test/support/database-before';
import { migrate } from '../cli/migrate';

const numbered = (sql: string) => { let n = 0; return sql.replace(/\?/g, () => `$${(n += 1)}`); };

describe('migration PeopleSearchKeys', () => {
  let before: DatabaseBefore;
  let db: Client;

  beforeAll(async () => {
    before = await databaseBefore('people_keys', 'Migration20261207100000KeysOfVerifiedDevelopers');
    db = before.db;
  });

  afterAll(() => before.drop());

  it('lowers the names of movies already stored, keeps them lowered on every write, and leaves the catalogue vacuumed', async () => {
    await db.query(`insert into movies (title, title_key, year, director, actors)
      select 'Movie ' || i, 'movie ' || i, 2000, 'Agnès VARDA', 'Ada Émile, Bo Ček' from generate_series(1, 300) i`);

    await migrate(before.url, () => undefined);

    const [stored] = (await db.query('select count(*)::int as n, min(director_key) as director, min(actors_key) as actors from movies')).rows;
    expect(stored).toEqual({ n: 300, director: 'agnès varda', actors: 'ada émile, bo ček' });
    // The walks read the covering indexes alone only where the visibility map says every row is visible.
    const [map] = (await db.query("select relpages, relallvisible from pg_class where relname = 'movies'")).rows;
    expect(map.relallvisible).toBe(map.relpages);
    await db.query(`update movies set director = 'ÉRIC Rohmer' where title = 'Movie 1'`);
    const walk = boundedWalkQuery({ director: 'éric ROHMER', actor: 'ÉMILE' }, 'title', 20, 30_000);
    const found = (await db.query(numbered(walk.sql), walk.params)).rows.map((r: { title: string }) => r.title);
    expect(found).toEqual(['Movie 1']);
  });
});
