import { pgArrayLiteral } from '@marquee/database';
import type { NormalisedMovie } from './csv-row.validator';
import type { ImportRowError } from './import.entity';

/** The movie columns in the order `movieCsv` writes them. */
export const MOVIE_COPY_COLUMNS = 'title, title_key, year, genres, genre_keys, director, actors, plot, poster_url';

// RowValidator hands out one genres array per distinct cell, so each is formatted once.
const genreCsv = new WeakMap<readonly string[], string>();

/**
 * One movie as the fields of a row in COPY's csv format, without the line end: every value
 * quoted, so only NULL is bare-empty.
 */
export function movieCsv(m: NormalisedMovie): string {
  let genres = genreCsv.get(m.genres);
  if (genres === undefined) {
    genres = `${quote(pgArrayLiteral(m.genres))},${quote(pgArrayLiteral(m.genreKeys))}`;
    genreCsv.set(m.genres, genres);
  }
  return `${quote(m.title)},${quote(m.titleKey)},${m.year},${genres},${nullable(m.director)},${nullable(m.actors)},${nullable(m.plot)},${nullable(m.posterUrl)}`;
}

/** A rejected row for `copy import_rejections (import_id, line, reason)`. */
export function rejectionCsv(importId: string, rejection: ImportRowError): string {
  return `${quote(importId)},${rejection.line},${quote(rejection.reason)}`;
}

function quote(value: string): string {
  return value.includes('"') ? `"${value.replace(/"/g, '""')}"` : `"${value}"`;
}

function nullable(value: string | null): string {
  return value === null ? '' : quote(value);
}
