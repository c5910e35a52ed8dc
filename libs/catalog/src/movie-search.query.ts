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

const TEXT_COLUMNS = { title: 'title', director: 'director', actor: 'actors' } as const;
type TextKey = keyof typeof TEXT_COLUMNS;

/**
 * Each text column lowered: the people's as stored when a movie is written (see the
 * PeopleSearchKeys migration; the covering indexes carry them), the title as it is read.
 */
const LOWERED = { title: 'lower(title)', director: 'director_key', actor: 'actors_key' } as const;

/** The columns a gathered row carries for `keyed` to check it: what LOWERED reads. */
const LOWERED_SOURCE = { title: 'title', director: 'director_key', actor: 'actors_key' } as const;

/** The filter's text criteria alone: what the trigram indexes find and the recheck decides. */
const textOf = ({ title, director, actor }: MovieFilter): MovieFilter => ({ title, director, actor });

/** Conditions to join with `and`, their parameters in placeholder order. */
interface Conditions {
  parts: string[];
  params: unknown[];
}

/**
 * How a text filter matches its column:
 * - `plain`: ILIKE, which the planner estimates from the column's statistics;
 * - `keyed`: LIKE between the lowered column (LOWERED) and the lowered term, which is what ILIKE
 *   does in a UTF-8 database, so it matches exactly the same rows, but lowers the term once
 *   rather than for every row, and the people's names not at all (they are stored lowered): a
 *   walk over 30,000 index entries with a director's and an actor's surname takes 5.4 ms of
 *   backend CPU, 10.1 lowering each entry's names, and ILIKE more still. The planner has no statistics for it, so only queries that do
 *   not plan by an estimate use it;
 * - `spaceless`: the column without spaces against parts of the term without spaces (see
 *   indexedTerms), which the spaceless trigram indexes answer; it keeps every match, and more
 *   (see `gathered`).
 */
type TextMatch = 'plain' | 'keyed' | 'spaceless';

const TEXT_CONDITION: Record<TextMatch, (key: TextKey) => string> = {
  plain: (key) => `${TEXT_COLUMNS[key]} ilike ? escape '\\'`,
  keyed: (key) => `${LOWERED[key]} like lower(?) escape '\\'`,
  spaceless: (key) => `replace(${TEXT_COLUMNS[key]}, ' ', '') ilike ? escape '\\'`,
};

/** Characters of a spaceless term around one of its word boundaries that the indexes look for. */
const JUNCTION = 8;

/**
 * What the spaceless trigram indexes look for, for a term: the term without its spaces, or, when
 * it has several words, the JUNCTION characters around its first word boundary and around its
 * last. Each is part of the term, so every match holds it and nothing is lost (the recheck
 * decides). A GIN scan costs by the trigrams it intersects, and the ones inside a word ("ell",
 * "ini", "the") are in tens of thousands of rows where those across two words are in few.
 * Too short a window matches other names as well (six characters: "masWil" is in every Thomas
 * Wilson and Wilder, three times the rows to fetch). At 1M movies, 40 directors' and actors'
 * full names and 40 two-word titles (psql, two samples): names mean 8.5 / 7.9 ms with the whole
 * term, 6.3 / 5.9 with eight characters, p95 15.0 / 15.0 against 12.4 / 11.4; titles mean 2.9
 * against 2.2 / 2.1.
 */
export function indexedTerms(value: string): string[] {
  // Counted in code points: a window cut through a surrogate pair would look for a character
  // no row holds.
  const words = value.split(' ').filter((w) => w.length > 0).map((w) => Array.from(w));
  const term = words.flat();
  if (words.length < 2 || term.length <= JUNCTION) return [term.join('')];
  const boundaries = new Set([words[0].length, term.length - words[words.length - 1].length]);
  return [...boundaries].map((b) => {
    const start = Math.min(Math.max(0, b - JUNCTION / 2), term.length - JUNCTION);
    return term.slice(start, start + JUNCTION).join('');
  });
}

function conditionsOf(filter: MovieFilter, text: TextMatch): Conditions {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const key of Object.keys(TEXT_COLUMNS) as TextKey[]) {
    const value = filter[key];
    if (value === undefined) continue;
    for (const term of text === 'spaceless' ? indexedTerms(value) : [value]) {
      parts.push(TEXT_CONDITION[text](key));
      params.push(`%${escapeLike(term)}%`);
    }
  }
  if (filter.genre !== undefined) {
    parts.push('genre_keys @> array[?]::text[]');
    params.push(normaliseGenre(filter.genre));
  }
  if (filter.year !== undefined) { parts.push('year = ?'); params.push(filter.year); }
  if (filter.yearFrom !== undefined) { parts.push('year >= ?'); params.push(filter.yearFrom); }
  if (filter.yearTo !== undefined) { parts.push('year <= ?'); params.push(filter.yearTo); }
  return { parts, params };
}

const asWhere = (c: Conditions): SqlQuery => ({ sql: c.parts.length ? `where ${c.parts.join(' and ')}` : '', params: c.params });

/** The filter as one WHERE clause, for walks and for the planner's estimate. */
export function whereClause(filter: MovieFilter): SqlQuery {
  return asWhere(conditionsOf(filter, 'plain'));
}

/**
 * Matches found through the indexes: `candidates`, a materialised CTE of the rows the spaceless
 * trigram, GIN and year indexes find (and `seek`, a cursor's condition), carrying `keys` and the
 * text columns; and `recheck`, the exact text conditions that decide over its rows. Taking the
 * same characters out of text and term keeps every match, so the candidates hold them all.
 * The CTE fences the two apart: given both at once, the planner multiplies their selectivities,
 * expects a handful of rows where 16,000 match, and fetches them all through one index (180 ms)
 * where combining it with the year index reads a tenth of them.
 */
function gathered(filter: MovieFilter, keys: string[], seek?: SqlQuery): { cte: string; params: unknown[]; recheck: SqlQuery } {
  const find = conditionsOf(filter, 'spaceless');
  if (seek) find.parts.push(seek.sql);
  const texts = (Object.keys(TEXT_COLUMNS) as TextKey[]).filter((key) => filter[key] !== undefined).map((key) => LOWERED_SOURCE[key]);
  const columns = [...new Set([...keys, ...texts])];
  const found = asWhere(find);
  return {
    cte: `with candidates as materialized (select ${columns.join(', ')} from movies${found.sql ? ` ${found.sql}` : ''})`,
    params: [...found.params, ...(seek?.params ?? [])],
    recheck: asWhere(conditionsOf(textOf(filter), 'keyed')),
  };
}

/**
 * One page of movies, `limit + 1` rows so the caller knows whether another page follows.
 * With a cursor the page starts after it (row comparison on the (column, id) index); without
 * one it is an OFFSET, which the caller caps.
 *
 * The page is found first by id and sort value alone, then joined to its rows: the title and
 * year indexes carry every filtered column (see the SearchCoveringIndexes migration), so
 * finding the page is an index-only walk that never reads the wide rows it skips.
 *
 * `gather` finds every match first (see `gathered`, so through the trigram and GIN indexes
 * rather than a walk) and then sorts them for the page, and without a cursor adds
 * `total_count`, every match counted by a window: when the matches are few, gathering them
 * costs what counting them does, so a second query would pay for the same rows twice. Without
 * the CTE, a window beside ORDER BY … LIMIT lets the planner walk the whole sort index, costing
 * it as if the limit stopped it early (3.4 s where gathering takes 50 ms). With a cursor nothing
 * is counted: the seek would be counted too. A page past the last match has no row to carry the
 * count.
 */
export function pageQuery(
  filter: MovieFilter, sort: MovieSort, limit: number, offset: number, cursor?: MovieCursor, gather = false,
): SqlQuery {
  const column = SORT_COLUMN[sort];
  const desc = sort.startsWith('-');
  let seek: SqlQuery | undefined;
  if (cursor) {
    const op = desc ? '<' : '>';
    seek = column === 'id'
      ? { sql: `id ${op} ?`, params: [cursor.id] }
      : { sql: `(${column}, id) ${op} (?, ?)`, params: [cursor.value, cursor.id] };
  }
  const dir = desc ? 'desc' : 'asc';
  const order = (table: string) => (column === 'id' ? `${table}id ${dir}` : `${table}${column} ${dir}, ${table}id ${dir}`);
  const keys = column === 'id' ? ['id'] : ['id', column];
  const windowParams: unknown[] = [limit + 1];
  let window = `limit ?`;
  if (!cursor && offset > 0) {
    window += ' offset ?';
    windowParams.push(offset);
  }
  const rows = MOVIE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ');
  if (gather) {
    const g = gathered(filter, keys, seek);
    const count = cursor ? '' : ', count(*) over ()::int as total_count';
    return {
      sql: `${g.cte}, page as (select ${keys.join(', ')}${count} from candidates${g.recheck.sql ? ` ${g.recheck.sql}` : ''} order by ${order('')} ${window}) ` +
        `select ${rows}${cursor ? '' : ', page.total_count'} from page join movies m on m.id = page.id order by ${order('page.')}`,
      params: [...g.params, ...g.recheck.params, ...windowParams],
    };
  }
  const conditions = conditionsOf(filter, 'plain');
  if (seek) {
    conditions.parts.push(seek.sql);
    conditions.params.push(...seek.params);
  }
  const filtered = asWhere(conditions);
  return {
    sql: `select ${rows} from (select ${keys.join(', ')} from movies${filtered.sql ? ` ${filtered.sql}` : ''} order by ${order('')} ${window}) page ` +
      `join movies m on m.id = page.id order by ${order('page.')}`,
    params: [...filtered.params, ...windowParams],
  };
}

/** What the covering sort indexes carry: a walk that reads only these never touches the table. */
const COVERED = 'id, title, year, genre_keys, director_key, actors_key';

/**
 * The first `limit + 1` matches in sort order among the next `budget` entries of the title or
 * year index (after the cursor, if any): an index-only walk that costs at most `budget` entries
 * however rare or clustered the matches are. Fewer than `limit + 1` rows means the budget ran out
 * first (or the matches did), and the caller gathers instead.
 */
export function boundedWalkQuery(
  filter: MovieFilter, sort: Exclude<MovieSort, 'id'>, limit: number, budget: number, cursor?: MovieCursor,
): SqlQuery {
  const column = SORT_COLUMN[sort];
  const dir = sort.startsWith('-') ? 'desc' : 'asc';
  const order = (table: string) => `${table}${column} ${dir}, ${table}id ${dir}`;
  // A year range on a year walk is where the walk starts and stops, not a filter on what it reads.
  const { year, yearFrom, yearTo, ...others } = filter;
  const range = column === 'year' ? whereClause({ year, yearFrom, yearTo }) : { sql: '', params: [] };
  const where = asWhere(conditionsOf(column === 'year' ? others : filter, 'keyed'));
  const bounds = range.sql ? [range.sql.replace(/^where /, '')] : [];
  const params: unknown[] = [...range.params];
  if (cursor) {
    bounds.push(`(${column}, id) ${dir === 'desc' ? '<' : '>'} (?, ?)`);
    params.push(cursor.value, cursor.id);
  }
  params.push(budget, ...where.params, limit + 1);
  const walk = `select ${COVERED} from movies${bounds.length ? ` where ${bounds.join(' and ')}` : ''} order by ${order('')} limit ?`;
  const rows = MOVIE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ');
  const sql =
    `select ${rows} from (select id, ${column} from (${walk}) walked ${where.sql} order by ${order('')} limit ?) page ` +
    `join movies m on m.id = page.id order by ${order('page.')}`;
  return { sql, params };
}

/** Counts matches, but stops at `cap + 1` rows: an exact count of a broad match costs ~250 ms at 1M rows. */
export function cappedCountQuery(filter: MovieFilter, cap: number): SqlQuery {
  if (!hasCriteria(textOf(filter))) {
    // Nothing to recheck, so no fence: the planner sees the limit and may stop a scan early.
    const plain = whereClause(filter);
    return { sql: `select count(*)::int as n from (select 1 from movies ${plain.sql} limit ?) capped`, params: [...plain.params, cap + 1] };
  }
  const g = gathered(filter, ['id']);
  return {
    sql: `${g.cte} select count(*)::int as n from (select 1 from candidates ${g.recheck.sql} limit ?) capped`,
    params: [...g.params, ...g.recheck.params, cap + 1],
  };
}

/**
 * The filter as a WHERE clause that finds text matches through the trigram indexes, as a
 * gathered page does: for pages in orders no index walk serves.
 */
export function indexedWhereClause(filter: MovieFilter): SqlQuery {
  if (!hasCriteria(textOf(filter))) return whereClause(filter);
  const g = gathered(filter, ['id']);
  return { sql: `where id in (${g.cte} select id from candidates ${g.recheck.sql})`, params: [...g.params, ...g.recheck.params] };
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
    // A title no movie can have: PostgreSQL text holds no NUL, and the query would fail.
    if (column === 'title' && (typeof value !== 'string' || value.includes('\0'))) return undefined;
    if (column === 'year' && !Number.isSafeInteger(value)) return undefined;
    if (column === 'id' && value !== null) return undefined;
    return { sort, value: value as string | number | null, id: id as number };
  } catch {
    return undefined;
  }
}
