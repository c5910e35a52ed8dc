import { CsvLayout, resolveLayout, RowValidator } from './csv-row.validator';

const HEADER = ['title', 'year', 'genre', 'director', 'actors', 'plot', 'poster_url'];
const NOW = new Date('2026-06-01T00:00:00Z');

function layoutOf(header: string[]): CsvLayout {
  const resolved = resolveLayout(header);
  if (!resolved.ok) throw new Error(resolved.reason);
  return resolved.value;
}

function row(overrides: Partial<Record<(typeof HEADER)[number], string>> = {}): string[] {
  const values: Record<string, string> = {
    title: 'The Matrix', year: '1999', genre: 'Action, Sci-Fi', director: 'Lana Wachowski',
    actors: 'Keanu Reeves', plot: 'A hacker learns the truth.', poster_url: 'https://img.example/matrix.jpg', ...overrides,
  };
  return HEADER.map((h) => values[h]);
}

function reasonFor(fields: string[], layout = layoutOf(HEADER)): string {
  const result = new RowValidator(layout, NOW).check(fields);
  if (result.ok) throw new Error('expected a rejection');
  return result.reason;
}

describe('resolveLayout', () => {
  it('matches headers whatever their case, spacing, underscores or order', () => {
    const layout = layoutOf([' Poster URL ', 'YEAR', ' Title ', 'Genres', 'Director']);

    expect(layout.index).toEqual({ poster_url: 0, year: 1, title: 2, genre: 3, director: 4 });
    expect(layout.width).toBe(5);
  });

  it('lists unknown columns and ignores them', () => {
    const layout = layoutOf(['title', 'year', 'Rating', 'imdb id', '']);

    expect(layout.unknownColumns).toEqual(['Rating', 'imdb id']);
    expect(layout.width).toBe(5);
  });

  it('strips a byte order mark from the first header', () => {
    expect(layoutOf(['\uFEFFtitle', 'year']).index.title).toBe(0);
  });

  it('fails naming the missing required column', () => {
    const resolved = resolveLayout(['title', 'genre']);

    expect(resolved).toEqual({ ok: false, reason: expect.stringContaining('"year"') });
  });

  it('fails when a column appears twice', () => {
    expect(resolveLayout(['title', 'year', 'Title'])).toEqual({ ok: false, reason: expect.stringContaining('"title"') });
  });
});

describe('RowValidator', () => {
  it('normalises a valid row', () => {
    const result = new RowValidator(layoutOf(HEADER), NOW).check(row({ title: '  The  Matrix ', genre: 'Action | sci-fi,  Action ', plot: '' }));

    expect(result).toEqual({
      ok: true,
      value: {
        title: 'The  Matrix', titleKey: 'the matrix', year: 1999, genres: ['Action', 'sci-fi'], genreKeys: ['action', 'sci-fi'],
        director: 'Lana Wachowski', actors: 'Keanu Reeves', plot: null, posterUrl: 'https://img.example/matrix.jpg',
      },
    });
  });

  it('accepts a file with only the required columns', () => {
    const result = new RowValidator(layoutOf(['title', 'year']), NOW).check(['Heat', '1995']);

    expect(result.ok && result.value).toMatchObject({ title: 'Heat', year: 1995, genres: [], director: null, posterUrl: null });
  });

  it.each([
    ['an empty title', row({ title: '   ' }), 'title is required'],
    ['a title over 300 characters', row({ title: 'x'.repeat(301) }), 'title is longer than 300 characters'],
    ['a year that is not a number', row({ year: 'nineteen' }), 'year must be a whole number from 1870 to 2031'],
    ['a fractional year', row({ year: '1999.5' }), 'year must be'],
    ['a year before 1870', row({ year: '1869' }), 'year must be'],
    ['a year more than five years ahead', row({ year: '2032' }), 'year must be'],
    ['a missing year', row({ year: '' }), 'year must be'],
    ['a poster that is not a URL', row({ poster_url: 'not a url' }), 'poster_url must be an http or https URL'],
    ['a javascript: poster', row({ poster_url: 'javascript:alert(1)' }), 'poster_url must be'],
    ['a poster on an impossible IP address', row({ poster_url: 'http://1.2.3.256/p.jpg' }), 'poster_url must be'],
    ['a poster on a broken punycode host', row({ poster_url: 'https://xn--a.example/p.jpg' }), 'poster_url must be'],
    ['a poster URL with a space', row({ poster_url: 'https://img.example/a b.jpg' }), 'poster_url must be'],
    ['a poster URL over 2048 characters', row({ poster_url: `https://x.example/${'a'.repeat(2040)}` }), 'poster_url is longer than 2048'],
    ['a director over 1000 characters', row({ director: 'd'.repeat(1001) }), 'director is longer than 1000'],
    ['actors over 1000 characters', row({ actors: 'a'.repeat(1001) }), 'actors is longer than 1000'],
    ['a plot over 5000 characters', row({ plot: 'p'.repeat(5001) }), 'plot is longer than 5000'],
    ['a genre cell over 500 characters', row({ genre: 'g'.repeat(501) }), 'genre is longer than 500'],
    ['a NUL in the title', row({ title: 'Bad\u0000Title' }), 'title contains a control character'],
    ['a newline in the director', row({ director: 'Lana\nLilly' }), 'director contains a control character'],
    ['a tab in the title', row({ title: 'The\tMatrix' }), 'title contains a control character'],
    ['a DEL in the genre', row({ genre: 'Action\u007f' }), 'genre contains a control character'],
    ['an escape character in the plot', row({ plot: 'A \u001b[31m plot' }), 'plot contains a control character'],
  ])('rejects %s', (_case, fields, reason) => {
    expect(reasonFor(fields)).toContain(reason);
  });

  it('allows line breaks and tabs in the plot', () => {
    const result = new RowValidator(layoutOf(HEADER), NOW).check(row({ plot: 'Line one.\r\nLine\ttwo.' }));

    expect(result.ok && result.value.plot).toBe('Line one.\r\nLine\ttwo.');
  });

  it.each(['https://img.example:8443/p.jpg?w=300#top', 'http://127.0.0.1/p.jpg', 'https://bücher.example/ä.jpg', 'HTTPS://IMG.EXAMPLE/P.JPG'])(
    'accepts the poster URL %s',
    (url) => {
      expect(new RowValidator(layoutOf(HEADER), NOW).check(row({ poster_url: url })).ok).toBe(true);
    },
  );

  it('gives the same genres for the same cell on every row', () => {
    const validator = new RowValidator(layoutOf(HEADER), NOW);
    const [first, second] = [validator.check(row({ genre: 'Drama, Crime' })), validator.check(row({ genre: 'Drama, Crime' }))];

    expect(first.ok && second.ok && [first.value.genreKeys, second.value.genreKeys]).toEqual([['drama', 'crime'], ['drama', 'crime']]);
  });

  it('accepts the last plausible year', () => {
    expect(new RowValidator(layoutOf(HEADER), NOW).check(row({ year: '2031' })).ok).toBe(true);
  });

  it('rejects a row whose field count differs from the header', () => {
    expect(reasonFor(['Heat', '1995', 'extra'], layoutOf(['title', 'year']))).toBe('expected 2 fields, found 3');
  });
});
