import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  boundedWalkQuery, cappedCountQuery, estimateQuery, indexedWhereClause, MOVIE_COLUMNS, MovieCursor, MovieFilter, MovieRow, MovieSort, pageQuery, whereClause,
} from '@marquee/catalog';

/** Admin sorts: every column the portal shows; id breaks ties so pages never overlap. */
const ADMIN_SORT_COLUMN: Record<string, string> = {
  id: 'id', title: 'title', year: 'year', genre: 'genres', director: 'director', actors: 'actors', updated_at: 'updated_at',
};

export interface AdminMovieRow extends MovieRow {
  updated_at: Date;
}

/** Read-only SQL over the catalogue; every shape is served by an index (see the migration). */
@Injectable()
export class MoviesRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: number): Promise<MovieRow | undefined> {
    const rows = await this.execute<MovieRow>(`select ${MOVIE_COLUMNS} from movies where id = ?`, [id]);
    return rows[0];
  }

  page(filter: MovieFilter, sort: MovieSort, limit: number, offset: number, cursor?: MovieCursor): Promise<MovieRow[]> {
    const q = pageQuery(filter, sort, limit, offset, cursor);
    return this.execute<MovieRow>(q.sql, q.params);
  }

  /**
   * Every match gathered, then the page sorted out of them; without a cursor every match is also
   * counted (`total` is undefined with a cursor, or when the page is past the last match).
   */
  async gather(
    filter: MovieFilter, sort: MovieSort, limit: number, offset: number, cursor?: MovieCursor,
  ): Promise<{ rows: MovieRow[]; total: number | undefined }> {
    const q = pageQuery(filter, sort, limit, offset, cursor, true);
    const rows = await this.execute<MovieRow & { total_count?: number }>(q.sql, q.params);
    return { rows, total: rows[0]?.total_count };
  }

  /** At most `budget` index entries walked: a page only when it holds `limit + 1` rows. */
  boundedWalk(filter: MovieFilter, sort: Exclude<MovieSort, 'id'>, limit: number, budget: number, cursor?: MovieCursor): Promise<MovieRow[]> {
    const q = boundedWalkQuery(filter, sort, limit, budget, cursor);
    return this.execute<MovieRow>(q.sql, q.params);
  }

  async countUpTo(filter: MovieFilter, cap: number): Promise<number> {
    const q = cappedCountQuery(filter, cap);
    return (await this.execute<{ n: number }>(q.sql, q.params))[0].n;
  }

  async countAll(): Promise<number> {
    return (await this.execute<{ n: number }>('select count(*)::int as n from movies', []))[0].n;
  }

  /** The planner's row estimate: what a total costs when counting it exactly would not pay. */
  async estimate(filter: MovieFilter): Promise<number> {
    const q = estimateQuery(filter);
    const rows = await this.execute<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(q.sql, q.params);
    return Math.round(rows[0]['QUERY PLAN'][0].Plan['Plan Rows']);
  }

  /**
   * One admin page; OFFSET is capped by the caller (MAX_OFFSET). The trigram indexes find the
   * matches: an admin looks for particular movies, which a walk in sort order could read the
   * whole catalogue to find.
   */
  adminPage(filter: MovieFilter, sort: string, limit: number, offset: number): Promise<AdminMovieRow[]> {
    const where = indexedWhereClause(filter);
    const desc = sort.startsWith('-');
    const dir = desc ? 'desc' : 'asc';
    const column = ADMIN_SORT_COLUMN[desc ? sort.slice(1) : sort];
    const order = column === 'id' ? `id ${dir}` : `${column} ${dir} nulls last, id ${dir}`;
    return this.execute<AdminMovieRow>(`select ${MOVIE_COLUMNS}, updated_at from movies ${where.sql} order by ${order} limit ? offset ?`, [...where.params, limit, offset]);
  }

  /** The export reads the catalogue in id order, one seek per batch, whatever its size. */
  exportBatch(filter: MovieFilter, afterId: number, limit: number): Promise<MovieRow[]> {
    const where = whereClause(filter);
    const conditions = [where.sql.replace(/^where /, ''), 'id > ?'].filter(Boolean).join(' and ');
    return this.execute<MovieRow>(`select ${MOVIE_COLUMNS} from movies where ${conditions} order by id limit ?`, [...where.params, afterId, limit]);
  }

  private execute<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params as never[]);
  }
}
