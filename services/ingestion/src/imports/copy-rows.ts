import { textArrayField } from '@marquee/database';
import { CopyBatches } from './copy-batches';
import type { NormalisedMovie } from './csv-row.validator';
import type { ImportRowError } from './import.entity';

/** The movie columns in the order `writeMovie` writes them. */
export const MOVIE_COPY_COLUMNS = 'title, title_key, year, genres, genre_keys, director, actors, plot, poster_url';

// RowValidator hands out one genres array per distinct cell, so each is encoded once.
const genreFields = new WeakMap<readonly string[], Buffer>();

/** One movie's fields, after `line` when the target has that column first. */
export function writeMovie(batch: CopyBatches, m: NormalisedMovie, line?: number): void {
  let genres = genreFields.get(m.genres);
  if (genres === undefined) {
    genres = Buffer.concat([textArrayField(m.genres), textArrayField(m.genreKeys)]);
    genreFields.set(m.genres, genres);
  }
  if (line === undefined) batch.row(9);
  else batch.row(10).int4(line);
  batch.text(m.title).text(m.titleKey).int4(m.year).raw(genres).text(m.director).text(m.actors).text(m.plot).text(m.posterUrl);
}

/** A rejected row for `copy import_rejections (import_id, line, reason)`; `importId` from `uuidField`. */
export function writeRejection(batch: CopyBatches, importId: Buffer, rejection: ImportRowError): void {
  batch.row(3).raw(importId).int4(rejection.line).text(rejection.reason);
}
