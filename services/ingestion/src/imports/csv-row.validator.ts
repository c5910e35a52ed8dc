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

interface Cell {
  column: MovieColumn;
  position: number | undefined;
  control: RegExp;
  /** Undefined for the year, checked as a number. */
  maxLength: number | undefined;
}

/** Up to this many distinct genre cells are parsed once per import; real files repeat a few hundred. */
const GENRE_MEMO_SIZE = 10_000;

/**
 * Validates the data rows of one file (its layout) into catalogue rows, or says why not. One per
 * import: it resolves the columns once and parses each distinct genre cell once, since the rows
 * of a million-row file go through here one by one.
 */
export class RowValidator {
  private readonly cells: Cell[];
  private readonly lastYear: number;
  private readonly genres = new Map<string, { genres: string[]; keys: string[] }>();

  constructor(private readonly layout: CsvLayout, now: Date = new Date()) {
    this.lastYear = now.getUTCFullYear() + 5;
    this.cells = MOVIE_COLUMNS.map((column) => ({
      column, position: layout.index[column], control: column === 'plot' ? CONTROL_IN_PLOT : CONTROL,
      maxLength: column === 'year' ? undefined : MAX_LENGTH[column],
    }));
  }

  check(fields: readonly string[]): Checked<NormalisedMovie> {
    const { index, width } = this.layout;
    if (fields.length !== width) return refuse(`expected ${width} fields, found ${fields.length}`);
    const cell = (position: number | undefined) => (position === undefined ? '' : fields[position]);
    for (const { column, position, control } of this.cells) {
      if (control.test(cell(position))) return refuse(`${column} contains a control character`);
    }
    for (const { column, position, maxLength } of this.cells) {
      const value = cell(position);
      if (maxLength !== undefined && value.length > maxLength && value.trim().length > maxLength) {
        return refuse(`${column} is longer than ${maxLength} characters`);
      }
    }

    const title = cell(index.title).trim();
    if (!title) return refuse('title is required');

    const yearText = cell(index.year).trim();
    const year = Number(yearText);
    if (!/^\d{1,4}$/.test(yearText) || year < FIRST_YEAR || year > this.lastYear) {
      return refuse(`year must be a whole number from ${FIRST_YEAR} to ${this.lastYear}${yearText ? `, got "${yearText.slice(0, 20)}"` : ''}`);
    }

    const posterUrl = cell(index.poster_url).trim();
    if (posterUrl && !isHttpUrl(posterUrl)) return refuse('poster_url must be an http or https URL');

    const { genres, keys: genreKeys } = this.parseGenres(cell(index.genre));
    return {
      ok: true,
      value: {
        title,
        titleKey: normaliseTitle(title),
        year,
        genres,
        genreKeys,
        director: optional(cell(index.director)),
        actors: optional(cell(index.actors)),
        plot: optional(cell(index.plot)),
        posterUrl: posterUrl || null,
      },
    };
  }

  /** The same arrays for the same cell: callers must not change them. */
  private parseGenres(value: string): { genres: string[]; keys: string[] } {
    let parsed = this.genres.get(value);
    if (!parsed) {
      if (this.genres.size >= GENRE_MEMO_SIZE) this.genres.clear();
      parsed = parseGenres(value);
      this.genres.set(value, parsed);
    }
    return parsed;
  }
}

function optional(value: string): string | null {
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}

/**
 * Most posters look like this, and the URL parser accepts every such string: an ASCII host whose
 * last label starts with a letter (no IP address to check) and no punycode label to decode, then
 * any printable path. What this misses goes to the parser, which decides.
 */
const PLAIN_HTTP_URL = /^https?:\/\/(?![^/?#]*[xX][nN]--)(?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*(?:[/?#][!-~]*)?$/;

function isHttpUrl(value: string): boolean {
  if (PLAIN_HTTP_URL.test(value)) return true;
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}
