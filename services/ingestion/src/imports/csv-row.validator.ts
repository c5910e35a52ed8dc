import { normaliseTitle, parseGenres } from '@marquee/catalog';

export const MOVIE_COLUMNS = ['title', 'year', 'genre', 'director', 'actors', 'plot', 'poster_url'] as const;
export type MovieColumn = (typeof MOVIE_COLUMNS)[number];

const REQUIRED_COLUMNS: MovieColumn[] = ['title', 'year'];

/** Header spellings after folding case, spaces, `_` and `-` ("Poster URL" = "poster_url"). */
const HEADER_ALIASES: Record<string, MovieColumn> = {
  title: 'title', year: 'year', genre: 'genre', genres: 'genre', director: 'director',
  actors: 'actors', plot: 'plot', posterurl: 'poster_url',
};

const MAX_LENGTH: Record<Exclude<MovieColumn, 'year'>, number> = {
  title: 300, genre: 500, director: 1000, actors: 1000, plot: 5000, poster_url: 2048,
};

const FIRST_YEAR = 1870;
const CONTROL = /[\u0000-\u001f\u007f]/;
// Multi-line plots are common in exports; a tab or line break anywhere else is a broken row.
const CONTROL_IN_PLOT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export interface CsvLayout {
  /** Position of each known column in a row. */
  index: Partial<Record<MovieColumn, number>>;
  /** How many fields every row must have. */
  width: number;
  unknownColumns: string[];
}

export interface NormalisedMovie {
  title: string;
  titleKey: string;
  year: number;
  genres: string[];
  genreKeys: string[];
  director: string | null;
  actors: string | null;
  plot: string | null;
  posterUrl: string | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** Maps the header row to the movie columns; a missing required column fails the whole import. */
export function resolveLayout(headers: readonly string[]): Checked<CsvLayout> {
  const index: Partial<Record<MovieColumn, number>> = {};
  const unknownColumns: string[] = [];
  for (const [position, raw] of headers.entries()) {
    const header = (position === 0 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    const column = HEADER_ALIASES[header.toLowerCase().replace(/[\s_-]+/g, '')];
    if (!column) {
      if (header) unknownColumns.push(header);
      continue;
    }
    if (index[column] !== undefined) return refuse(`column "${column}" appears more than once in the header`);
    index[column] = position;
  }
  const missing = REQUIRED_COLUMNS.filter((c) => index[c] === undefined);
  if (missing.length > 0) {
    const found = headers.map((h) => h.replace(/^\uFEFF/, '').trim()).filter(Boolean).join(', ') || 'nothing';
    return refuse(`the CSV has no ${missing.map((c) => `"${c}"`).join(' or ')} column (header: ${found})`);
  }
  return { ok: true, value: { index, width: headers.length, unknownColumns } };
}

/** Validates one data row (its fields in file order) into a catalogue row, or says why not. */
export function validateRow(fields: readonly string[], layout: CsvLayout, now: Date = new Date()): Checked<NormalisedMovie> {
  if (fields.length !== layout.width) return refuse(`expected ${layout.width} fields, found ${fields.length}`);
  const cell = (column: MovieColumn) => {
    const position = layout.index[column];
    return position === undefined ? '' : fields[position];
  };
  for (const column of MOVIE_COLUMNS) {
    const pattern = column === 'plot' ? CONTROL_IN_PLOT : CONTROL;
    if (pattern.test(cell(column))) return refuse(`${column} contains a control character`);
  }
  for (const column of MOVIE_COLUMNS) {
    if (column === 'year') continue;
    if (cell(column).trim().length > MAX_LENGTH[column]) return refuse(`${column} is longer than ${MAX_LENGTH[column]} characters`);
  }

  const title = cell('title').trim();
  if (!title) return refuse('title is required');

  const lastYear = now.getUTCFullYear() + 5;
  const yearText = cell('year').trim();
  const year = Number(yearText);
  if (!/^\d{1,4}$/.test(yearText) || year < FIRST_YEAR || year > lastYear) {
    return refuse(`year must be a whole number from ${FIRST_YEAR} to ${lastYear}${yearText ? `, got "${yearText.slice(0, 20)}"` : ''}`);
  }

  const posterUrl = cell('poster_url').trim();
  if (posterUrl && !isHttpUrl(posterUrl)) return refuse('poster_url must be an http or https URL');

  const { genres, keys: genreKeys } = parseGenres(cell('genre'));
  return {
    ok: true,
    value: {
      title,
      titleKey: normaliseTitle(title),
      year,
      genres,
      genreKeys,
      director: optional(cell('director')),
      actors: optional(cell('actors')),
      plot: optional(cell('plot')),
      posterUrl: posterUrl || null,
    },
  };
}

function optional(value: string): string | null {
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}

function isHttpUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}
