import { normaliseGenre } from './normalise';
import { MOVIE_COLUMNS } from './movie.view';

export const MOVIE_SORTS = ['title', '-title', 'year', '-year', 'id'] as const;
export type MovieSort = (typeof MOVIE_SORTS)[number];

export interface MovieFilter {
  title?: string;
  genre?: string;
  year?: number;
  yearFrom?: number;
  yearTo?: number;
  director?: string;
  actor?: string;
}

/** Position after the last row of a page: sort value and id, so paging is a seek, not an OFFSET. */
export interface MovieCursor {
  sort: MovieSort;
  value: string | number | null;
  id: number;
}

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

const SORT_COLUMN: Record<MovieSort, 'title' | 'year' | 'id'> = {
  title: 'title', '-title': 'title', year: 'year', '-year': 'year', id: 'id',
};

/** `%`, `_` and `\` in user input match themselves, not as LIKE wildcards. */
export function escapeLike(input: string): string {
  return input.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function hasCriteria(filter: MovieFilter): boolean {
  return Object.values(filter).some((v) => v !== undefined);
}

export function whereClause(filter: MovieFilter): SqlQuery {
  const parts: string[] = [];
  const params: unknown[] = [];
  const contains = (column: string, value: string) => {
    parts.push(`${column} ilike ? escape '\\'`);
    params.push(`%${escapeLike(value)}%`);
  };
  if (filter.title !== undefined) contains('title', filter.title);
  if (filter.director !== undefined) contains('director', filter.director);
  if (filter.actor !== undefined) contains('actors', filter.actor);
  if (filter.genre !== undefined) {
    parts.push('genre_keys @> array[?]::text[]');
    params.push(normaliseGenre(filter.genre));
  }
  if (filter.year !== undefined) { parts.push('year = ?'); params.push(filter.year); }
  if (filter.yearFrom !== undefined) { parts.push('year >= ?'); params.push(filter.yearFrom); }
  if (filter.yearTo !== undefined) { parts.push('year <= ?'); params.push(filter.yearTo); }
  return { sql: parts.length ? `where ${parts.join(' and ')}` : '', params };
}

/**
 * One page of movies, `limit + 1` rows so the caller knows whether another page follows.
 * With a cursor the page starts after it (row comparison on the (column, id) index); without
 * one it is an OFFSET, which the caller caps.
 */
export function pageQuery(filter: MovieFilter, sort: MovieSort, limit: number, offset: number, cursor?: MovieCursor): SqlQuery {
  const where = whereClause(filter);
  const column = SORT_COLUMN[sort];
  const desc = sort.startsWith('-');
  const params = [...where.params];
  let seek = '';
  if (cursor) {
    const op = desc ? '<' : '>';
    if (column === 'id') {
      seek = `id ${op} ?`;
      params.push(cursor.id);
    } else {
      seek = `(${column}, id) ${op} (?, ?)`;
      params.push(cursor.value, cursor.id);
    }
  }
  const conditions = [where.sql.replace(/^where /, ''), seek].filter(Boolean).join(' and ');
  const dir = desc ? 'desc' : 'asc';
  const order = column === 'id' ? `id ${dir}` : `${column} ${dir}, id ${dir}`;
  params.push(limit + 1);
  let sql = `select ${MOVIE_COLUMNS} from movies ${conditions ? `where ${conditions}` : ''} order by ${order} limit ?`;
  if (!cursor && offset > 0) {
    sql += ' offset ?';
    params.push(offset);
  }
  return { sql, params };
}

/** Counts matches, but stops at `cap + 1` rows: an exact count of a broad match costs ~250 ms at 1M rows. */
export function cappedCountQuery(filter: MovieFilter, cap: number): SqlQuery {
  const where = whereClause(filter);
  return { sql: `select count(*)::int as n from (select 1 from movies ${where.sql} limit ?) capped`, params: [...where.params, cap + 1] };
}

export function estimateQuery(filter: MovieFilter): SqlQuery {
  const where = whereClause(filter);
  return { sql: `explain (format json) select 1 from movies ${where.sql}`, params: where.params };
}

export function cursorFor(sort: MovieSort, row: { id: string | number; title: string; year: number }): MovieCursor {
  const column = SORT_COLUMN[sort];
  return { sort, id: Number(row.id), value: column === 'id' ? null : row[column] };
}

export function encodeCursor(cursor: MovieCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

/** Returns undefined for anything that is not a cursor we issued (the caller answers 400). */
export function decodeCursor(text: string): MovieCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [sort, value, id] = parsed as [MovieSort, unknown, unknown];
    if (!MOVIE_SORTS.includes(sort) || !Number.isSafeInteger(id)) return undefined;
    const column = SORT_COLUMN[sort];
    if (column === 'title' && typeof value !== 'string') return undefined;
    if (column === 'year' && !Number.isSafeInteger(value)) return undefined;
    if (column === 'id' && value !== null) return undefined;
    return { sort, value: value as string | number | null, id: id as number };
  } catch {
    return undefined;
  }
}
