/** The identity of a title: case-, accent-width- and whitespace-insensitive. */
export function normaliseTitle(title: string): string {
  return title.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export function normaliseGenre(genre: string): string {
  return genre.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** "Action, Drama" → ["Action", "Drama"], trimmed, without empties or repeats. */
export function splitGenres(cell: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of cell.split(/[,|]/)) {
    const genre = part.trim().replace(/\s+/g, ' ');
    if (!genre || seen.has(normaliseGenre(genre))) continue;
    seen.add(normaliseGenre(genre));
    out.push(genre);
  }
  return out;
}
