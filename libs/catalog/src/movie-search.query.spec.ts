import {
  boundedWalkQuery, cappedCountQuery, decodeCursor, encodeCursor, escapeLike, indexedTerms, indexedWhereClause, MovieCursor, pageQuery, whereClause,
} from './movie-search.query';
import { normaliseTitle, splitGenres } from './normalise';

describe('escapeLike', () => {
  it.each([
    ['100%', '100\\%'],
    ['snake_case', 'snake\\_case'],
    ['back\\slash', 'back\\\\slash'],
    ['%_\\', '\\%\\_\\\\'],
  ])('escapes LIKE metacharacters in %j', (input, expected) => {
    expect(escapeLike(input)).toBe(expected);
  });

  it('leaves quotes, brackets and ordinary text untouched', () => {
    const input = `O'Brien "The [Movie]" (1999) {x} *^$.`;

    expect(escapeLike(input)).toBe(input);
  });
});

describe('whereClause', () => {
  it('is empty without criteria', () => {
    expect(whereClause({})).toEqual({ sql: '', params: [] });
  });

  it('binds parameters in the order their placeholders appear', () => {
    const sut = whereClause({ title: 'a%', director: 'd_', actor: 'x', genre: '  Sci  Fi ', year: 2000, yearFrom: 1990, yearTo: 2010 });

    expect(sut.sql).toBe(
      "where title ilike ? escape '\\' and director ilike ? escape '\\' and actors ilike ? escape '\\'"
      + ' and genre_keys @> array[?]::text[] and year = ? and year >= ? and year <= ?',
    );
    expect(sut.params).toEqual(['%a\\%%', '%d\\_%', '%x%', 'sci fi', 2000, 1990, 2010]);
    expect(sut.sql.split('?').length - 1).toBe(sut.params.length);
  });

  it('treats an empty string as a criterion and year 0 as a value', () => {
    const sut = whereClause({ title: '', year: 0 });

    expect(sut.params).toEqual(['%%', 0]);
  });
});

describe('pageQuery', () => {
  const placeholders = (sql: string) => sql.split('?').length - 1;

  it('asks for limit + 1 rows in ascending order without a cursor', () => {
    const sut = pageQuery({}, 'title', 20, 0);

    expect(sut.sql).toContain('(select id, title from movies order by title asc, id asc limit ?) page');
    expect(sut.sql).toMatch(/order by page\.title asc, page\.id asc$/);
    expect(sut.sql).not.toContain('offset');
    expect(sut.sql).not.toMatch(/\bwhere\b/);
    expect(sut.params).toEqual([21]);
  });

  it('uses an offset only when there is no cursor', () => {
    const sut = pageQuery({ year: 1999 }, 'year', 10, 30);

    expect(sut.sql).toContain('where year = ? order by year asc, id asc limit ? offset ?) page');
    expect(sut.params).toEqual([1999, 11, 30]);
  });

  it('ignores the offset when a cursor is given', () => {
    const cursor: MovieCursor = { sort: 'year', value: 1999, id: 42 };

    const sut = pageQuery({}, 'year', 10, 30, cursor);

    expect(sut.sql).not.toContain('offset');
    expect(sut.params).toEqual([1999, 42, 11]);
  });

  it('seeks forward for an ascending sort', () => {
    const sut = pageQuery({ title: 'x' }, 'title', 5, 0, { sort: 'title', value: 'Heat', id: 7 });

    expect(sut.sql).toContain("where title ilike ? escape '\\' and (title, id) > (?, ?) order by title asc, id asc limit ?)");
    expect(sut.params).toEqual(['%x%', 'Heat', 7, 6]);
    expect(placeholders(sut.sql)).toBe(sut.params.length);
  });

  it('seeks backward for a descending sort', () => {
    const sut = pageQuery({ genre: 'Drama' }, '-year', 5, 0, { sort: '-year', value: 2001, id: 9 });

    expect(sut.sql).toContain('where genre_keys @> array[?]::text[] and (year, id) < (?, ?) order by year desc, id desc limit ?)');
    expect(sut.sql).toMatch(/order by page\.year desc, page\.id desc$/);
    expect(sut.params).toEqual(['drama', 2001, 9, 6]);
    expect(placeholders(sut.sql)).toBe(sut.params.length);
  });

  it('seeks on the id alone when sorting by id', () => {
    const sut = pageQuery({}, 'id', 100, 0, { sort: 'id', value: null, id: 500 });

    expect(sut.sql).toContain('(select id from movies where id > ? order by id asc limit ?) page');
    expect(sut.params).toEqual([500, 101]);
  });

  it('counts every match in the same query when asked for the total', () => {
    const sut = pageQuery({ year: 1999 }, 'title', 20, 40, undefined, true);

    expect(sut.sql).toContain('with candidates as materialized (select id, title from movies where year = ?)');
    expect(sut.sql).toContain('count(*) over ()::int as total_count from candidates order by title asc, id asc limit ? offset ?');
    expect(sut.params).toEqual([1999, 21, 40]);
  });

  it('gathers text matches as candidates through the spaceless indexes, then rechecks the text itself', () => {
    const sut = pageQuery({ actor: 'Greta  Wilson', year: 1990 }, 'title', 20, 0, undefined, true);

    expect(sut.sql).toContain("with candidates as materialized (select id, title, actors_key from movies where replace(actors, ' ', '') ilike ? escape '\\' and year = ?)");
    expect(sut.sql).toContain("from candidates where actors_key like lower(?) escape '\\' order by title asc, id asc limit ?");
    expect(sut.params).toEqual(['%retaWils%', 1990, '%Greta  Wilson%', 21]);
    expect(placeholders(sut.sql)).toBe(sut.params.length);
  });

  it('looks in the indexes for a term of several words by the characters around its first and last word boundaries', () => {
    expect(indexedTerms('Fallen Angel III')).toEqual(['llenAnge', 'AngelIII']);
    expect(indexedTerms('Marta Fellini')).toEqual(['artaFell']);
    expect(indexedTerms('Al Pacino')).toEqual(['AlPacino']);
    expect(indexedTerms('Roberto Benigni Jr')).toEqual(['ertoBeni', 'enigniJr']);
    expect(indexedTerms('Hitchcock')).toEqual(['Hitchcock']);
    expect(indexedTerms('up  in')).toEqual(['upin']);
    expect(indexedTerms('')).toEqual(['']);
    expect(indexedTerms('q🎬abc defghij')).toEqual(['🎬abcdefg']); // counted by code point: no half of the emoji

    const sut = pageQuery({ title: 'Fallen Angel III' }, 'id', 20, 0, undefined, true);
    expect(sut.sql).toContain("where replace(title, ' ', '') ilike ? escape '\\' and replace(title, ' ', '') ilike ? escape '\\')");
    expect(sut.params).toEqual(['%llenAnge%', '%AngelIII%', '%Fallen Angel III%', 21]);
  });

  it('escapes LIKE metacharacters in the spaceless term too', () => {
    const sut = pageQuery({ title: '100 % _x' }, 'id', 20, 0, undefined, true);

    expect(sut.params).toEqual(['%100\\%\\_x%', '%100 \\% \\_x%', 21]);
  });

  it('walks with the plain text condition alone', () => {
    const sut = pageQuery({ actor: 'Ozu' }, 'title', 20, 0);

    expect(sut.sql).toContain("from movies where actors ilike ? escape '\\' order by title asc");
    expect(sut.sql).not.toContain('replace(');
  });

  it('gathers after a cursor without counting, which would count only what follows it', () => {
    const sut = pageQuery({ year: 1999 }, 'title', 20, 0, { sort: 'title', value: 'M', id: 3 }, true);

    expect(sut.sql).toContain('with candidates as materialized (select id, title from movies where year = ? and (title, id) > (?, ?))');
    expect(sut.sql).not.toContain('total_count');
  });

  it('sorts descending by title', () => {
    const sut = pageQuery({}, '-title', 1, 0, { sort: '-title', value: 'M', id: 3 });

    expect(sut.sql).toContain('(title, id) < (?, ?) order by title desc, id desc limit ?)');
  });
});

describe('cappedCountQuery', () => {
  it('counts up to one past the cap straight from the table when no text is searched', () => {
    const sut = cappedCountQuery({ genre: 'War' }, 1000);

    expect(sut).toEqual({ sql: 'select count(*)::int as n from (select 1 from movies where genre_keys @> array[?]::text[] limit ?) capped', params: ['war', 1001] });
  });

  it('counts rechecked candidates when text is searched', () => {
    const sut = cappedCountQuery({ director: 'Agnès Varda' }, 1000);

    expect(sut.sql).toBe("with candidates as materialized (select id, director_key from movies where replace(director, ' ', '') ilike ? escape '\\') "
      + "select count(*)::int as n from (select 1 from candidates where director_key like lower(?) escape '\\' limit ?) capped");
    expect(sut.params).toEqual(['%gnèsVard%', '%Agnès Varda%', 1001]);
  });
});

describe('indexedWhereClause', () => {
  it('is the plain clause when no text is searched', () => {
    expect(indexedWhereClause({ year: 1999 })).toEqual(whereClause({ year: 1999 }));
  });

  it('keeps the ids of rechecked candidates when text is searched', () => {
    const sut = indexedWhereClause({ title: 'night', yearFrom: 1990 });

    expect(sut.sql).toBe("where id in (with candidates as materialized (select id, title from movies where replace(title, ' ', '') ilike ? escape '\\' and year >= ?) "
      + "select id from candidates where lower(title) like lower(?) escape '\\')");
    expect(sut.params).toEqual(['%night%', 1990, '%night%']);
  });
});

describe('boundedWalkQuery', () => {
  const placeholders = (sql: string) => sql.split('?').length - 1;

  it('walks at most the budget of index entries, then filters them for the page', () => {
    const sut = boundedWalkQuery({ actor: 'Lang', genre: 'Drama' }, 'title', 20, 30_000);

    expect(sut.sql).toContain('(select id, title, year, genre_keys, director_key, actors_key from movies order by title asc, id asc limit ?) walked');
    expect(sut.sql).toContain("walked where actors_key like lower(?) escape '\\' and genre_keys @> array[?]::text[] order by title asc, id asc limit ?) page");
    expect(sut.params).toEqual([30_000, '%Lang%', 'drama', 21]);
    expect(placeholders(sut.sql)).toBe(sut.params.length);
  });

  it('starts the walk after the cursor, in the sort\'s direction', () => {
    const sut = boundedWalkQuery({ title: 'storm' }, '-year', 10, 500, { sort: '-year', value: 1990, id: 77 });

    expect(sut.sql).toContain('from movies where (year, id) < (?, ?) order by year desc, id desc limit ?) walked');
    expect(sut.params).toEqual([1990, 77, 500, '%storm%', 11]);
    expect(placeholders(sut.sql)).toBe(sut.params.length);
  });

  it('starts and stops a year walk at the year range, filtering only on the rest', () => {
    const sut = boundedWalkQuery({ yearFrom: 2016, yearTo: 2025, genre: 'Drama' }, 'year', 20, 100, { sort: 'year', value: 2017, id: 5 });

    expect(sut.sql).toContain('from movies where year >= ? and year <= ? and (year, id) > (?, ?) order by year asc, id asc limit ?) walked where genre_keys @> array[?]::text[]');
    expect(sut.params).toEqual([2016, 2025, 2017, 5, 100, 'drama', 21]);
    expect(placeholders(sut.sql)).toBe(sut.params.length);
  });
});

describe('encodeCursor', () => {
  it.each<MovieCursor>([
    { sort: 'title', value: 'The "Quoted" Title – ünïcode', id: 1 },
    { sort: '-title', value: '', id: 2 },
    { sort: 'year', value: 1999, id: 3 },
    { sort: '-year', value: 0, id: Number.MAX_SAFE_INTEGER },
    { sort: 'id', value: null, id: 12345 },
  ])('round-trips through decodeCursor: %j', (cursor) => {
    const text = encodeCursor(cursor);

    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });
});

describe('decodeCursor', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    ['an empty string', ''],
    ['text that is not base64 JSON', 'not a cursor!'],
    ['base64 of non-JSON', Buffer.from('{{{').toString('base64url')],
  ])('refuses %s', (_, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });

  it.each([
    ['an object', { sort: 'title', value: 'a', id: 1 }],
    ['a number', 42],
    ['null', null],
    ['too few elements', ['title', 'a']],
    ['too many elements', ['title', 'a', 1, 2]],
    ['an unknown sort', ['rating', 5, 1]],
    ['a string id', ['id', null, '1']],
    ['a fractional id', ['id', null, 1.5]],
    ['an unsafe id', ['id', null, 2 ** 53]],
    ['a number for a title sort', ['title', 5, 1]],
    ['null for a title sort', ['-title', null, 1]],
    ['a title holding a NUL', ['title', '\u0000x', 1]],
    ['a string for a year sort', ['year', '1999', 1]],
    ['a fractional year', ['-year', 1999.5, 1]],
    ['a value for an id sort', ['id', 5, 1]],
  ])('refuses %s', (_, payload) => {
    expect(decodeCursor(encode(payload))).toBeUndefined();
  });
});

describe('splitGenres', () => {
  it('splits on commas and pipes, trimming and collapsing whitespace', () => {
    expect(splitGenres(' Action,Drama |  Science   Fiction ')).toEqual(['Action', 'Drama', 'Science Fiction']);
  });

  it('drops empty parts', () => {
    expect(splitGenres(',, Action ,|, ')).toEqual(['Action']);
    expect(splitGenres('')).toEqual([]);
  });

  it('keeps the first spelling of a genre repeated in another case or spacing', () => {
    expect(splitGenres('Sci Fi, sci  fi, SCI FI, Drama')).toEqual(['Sci Fi', 'Drama']);
  });
});

describe('normaliseTitle', () => {
  it('ignores case, surrounding and repeated whitespace', () => {
    expect(normaliseTitle('  The   Dark\tKnight ')).toBe('the dark knight');
  });

  it('folds full-width characters to their ordinary form', () => {
    expect(normaliseTitle('ＡＫＩＲＡ')).toBe('akira');
  });

  it('gives the same key for spellings that differ only in case and spacing', () => {
    expect(normaliseTitle('Star Wars')).toBe(normaliseTitle(' STAR  wars'));
    expect(normaliseTitle('Star Wars')).not.toBe(normaliseTitle('Star Wars II'));
  });
});
