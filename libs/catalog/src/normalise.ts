/** The identity of a title: case-, accent-width- and whitespace-insensitive. */
export function normaliseTitle(title: string): string {
  return nfkc(title).trim().replace(/\s+/g, ' ').toLowerCase();
}

export function normaliseGenre(genre: string): string {
  return nfkc(genre).trim().replace(/\s+/g, ' ').toLowerCase();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** NFKC leaves printable ASCII as it is, and testing for it costs a fraction of normalising (imports call this per row). */
function nfkc(value: string): string {
  return PRINTABLE_ASCII.test(value) ? value : value.normalize('NFKC');
}

/** "Action, Drama" → ["Action", "Drama"], trimmed, without empties or repeats. */
export function splitGenres(cell: string): string[] {
  return parseGenres(cell).genres;
}

/** The genres of a cell and their normalised keys, each key computed once (the import's hot loop). */
export function parseGenres(cell: string): { genres: string[]; keys: string[] } {
  const genres: string[] = [];
  const keys: string[] = [];
  if (!cell) return { genres, keys };
  for (const part of cell.split(/[,|]/)) {
    const genre = part.trim().replace(/\s+/g, ' ');
    if (!genre) continue;
    const key = normaliseGenre(genre);
    if (keys.includes(key)) continue;
    keys.push(key);
    genres.push(genre);
  }
  return { genres, keys };
}
