import { Injectable } from '@nestjs/common';
import {
  cursorFor, decodeCursor, encodeCursor, hasCriteria, MovieCursor, MovieFilter, MovieRow, MovieSort, MovieView, toMovieView,
} from '@marquee/catalog';
import { badRequest, notFound } from '@marquee/common';
import { GatewayEnv } from '../config/gateway.env';
import { consistentTotal } from './consistent-total';
import { MovieCache } from './movie-cache';
import { ListMoviesQuery, SearchMoviesQuery } from './movie-query.dto';
import { MoviesRepository } from './movies.repository';
import { requireReachablePage } from '../validation/reachable-page';

/**
 * Index entries a title or year walk may read before the matches are gathered instead: ~10–20 ms
 * of index-only reading at 1M movies, enough for a page of anything in 1 row of 1,500.
 */
const WALK_BUDGET = 30_000;

export interface MoviePage {
  data: MovieView[];
  meta: {
    page: number | null;
    limit: number;
    total: number;
    total_pages: number;
    total_estimated: boolean;
    next_cursor: string | null;
  };
}

@Injectable()
export class MoviesService {
  constructor(
    private readonly movies: MoviesRepository,
    private readonly cache: MovieCache,
    private readonly env: GatewayEnv,
  ) {}

  /** The movie as its JSON body, ready to send. */
  async byIdJson(id: number): Promise<string> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const generation = this.cache.generation;
    const row = await this.movies.findById(id);
    if (!row) throw notFound('MOVIE.NOT_FOUND', `no movie with id ${id}`);
    const body = JSON.stringify(toMovieView(row));
    this.cache.set(id, body, generation);
    return body;
  }

  list(query: ListMoviesQuery): Promise<MoviePage> {
    return this.page({}, query.sort ?? 'id', query);
  }

  search(query: SearchMoviesQuery): Promise<MoviePage> {
    const filter: MovieFilter = {
      title: query.title, genre: query.genre, year: query.year, yearFrom: query.year_from,
      yearTo: query.year_to, director: query.director, actor: query.actor,
    };
    if (!hasCriteria(filter)) {
      throw badRequest('SEARCH.NO_CRITERIA', 'give at least one of title, genre, year, year_from, year_to, director, actor');
    }
    if (filter.yearFrom !== undefined && filter.yearTo !== undefined && filter.yearFrom > filter.yearTo) {
      throw badRequest('INVALID_PARAMETER', 'year_from must not be after year_to');
    }
    return this.page(filter, query.sort ?? 'title', query);
  }

  private async page(filter: MovieFilter, sort: MovieSort, query: ListMoviesQuery): Promise<MoviePage> {
    const cursor = query.cursor === undefined ? undefined : this.parseCursor(query.cursor, sort);
    const offset = (query.page - 1) * query.limit;
    if (!cursor) requireReachablePage(query.page, query.limit, this.env.MAX_OFFSET, 'follow meta.next_cursor with cursor= to page deeper');
    const found = await this.rowsAndTotal(filter, sort, query.limit, offset, cursor);
    const { rows } = found;
    const more = rows.length > query.limit;
    const data = (more ? rows.slice(0, query.limit) : rows).map(toMovieView);
    const total = cursor ? found.total : consistentTotal(found.total, offset, data.length, more);
    const last = data[data.length - 1];
    return {
      data,
      meta: {
        page: cursor ? null : query.page,
        limit: query.limit,
        total: total.value,
        total_pages: Math.ceil(total.value / query.limit),
        total_estimated: total.estimated,
        next_cursor: more && last ? encodeCursor(cursorFor(sort, last)) : null,
      },
    };
  }

  /**
   * The page and its total: exact up to COUNT_CAP matches, the planner's estimate beyond,
   * flagged. An exact count of a broad match at 1M rows costs ~250 ms, more than the page. So
   * the estimate comes first (EXPLAIN, 1–2 ms), then:
   * - up to COUNT_CAP, one query gathers the matches, sorts them for the page and counts them;
   *   with a cursor, which would be counted too, a count capped at COUNT_CAP + 1 runs beside it.
   *   So do first pages of one criterion too rare to expect a page within half the walk
   *   budget: an estimate of 1,001 at 1M movies means no sampled row matched, and walking 30,000
   *   entries in vain before gathering 280 matches cost 50 ms where gathering them alone takes
   *   12. (Not for several criteria: each can be common, and gathering 1,150 movies with both a
   *   Martin and a Spielberg means combining 60,000 with 20,000 (55 ms) where a walk takes 30);
   * - above it, the page comes from walking a sort index until it has one, and the total is the
   *   estimate (or, when the first page is not full, its length, which is exact). Title and year
   *   walks have a budget of WALK_BUDGET index entries: estimates come in steps of ~1,000 rows at
   *   1M, and matches can sort together far down the index (every title starting "Dark Storm"),
   *   so an unbounded walk for 280 matches estimated at 1,001 read 250k entries (450 ms). Past
   *   the budget the matches are gathered instead, and then counted exactly.
   */
  private async rowsAndTotal(
    filter: MovieFilter, sort: MovieSort, limit: number, offset: number, cursor: MovieCursor | undefined,
  ): Promise<{ rows: MovieRow[]; total: { value: number; estimated: boolean } }> {
    if (!hasCriteria(filter)) {
      const [rows, size] = await Promise.all([this.movies.page(filter, sort, limit, offset, cursor), this.catalogueSize()]);
      return { rows, total: { value: size, estimated: false } };
    }
    const [estimate, size] = await Promise.all([this.movies.estimate(filter), this.catalogueSize()]);
    const expectedWalk = ((limit + 1) * size) / Math.max(estimate, 1);
    const rareTerm = Object.values(filter).filter((v) => v !== undefined).length === 1 && offset === 0 && expectedWalk > WALK_BUDGET / 2;
    if (estimate <= this.env.COUNT_CAP || rareTerm) {
      if (cursor) {
        const [rows, total] = await Promise.all([this.movies.gather(filter, sort, limit, 0, cursor), this.countedTotal(filter, estimate)]);
        return { rows: rows.rows, total };
      }
      return this.gatherAndCount(filter, sort, limit, offset, estimate);
    }
    const estimated = { value: estimate, estimated: true };
    if (sort !== 'id' && offset === 0) {
      const walked = await this.movies.boundedWalk(filter, sort, limit, WALK_BUDGET, cursor);
      if (walked.length > limit) return { rows: walked, total: estimated };
      if (cursor) return { rows: (await this.movies.gather(filter, sort, limit, 0, cursor)).rows, total: estimated };
      return this.gatherAndCount(filter, sort, limit, offset, estimate);
    }
    const rows = await this.movies.page(filter, sort, limit, offset, cursor);
    const whole = !cursor && offset === 0 && rows.length <= limit;
    return { rows, total: whole ? { value: rows.length, estimated: false } : estimated };
  }

  private async gatherAndCount(
    filter: MovieFilter, sort: MovieSort, limit: number, offset: number, estimate: number,
  ): Promise<{ rows: MovieRow[]; total: { value: number; estimated: boolean } }> {
    const page = await this.movies.gather(filter, sort, limit, offset);
    if (page.total !== undefined) return { rows: page.rows, total: { value: page.total, estimated: false } };
    // No row to carry the count: a page past the last match, or no match at all.
    return { rows: page.rows, total: offset === 0 ? { value: 0, estimated: false } : await this.countedTotal(filter, estimate) };
  }

  private async catalogueSize(): Promise<number> {
    this.cache.catalogueSize ??= await this.movies.countAll();
    return this.cache.catalogueSize;
  }

  private async countedTotal(filter: MovieFilter, estimate: number): Promise<{ value: number; estimated: boolean }> {
    const counted = await this.movies.countUpTo(filter, this.env.COUNT_CAP);
    if (counted <= this.env.COUNT_CAP) return { value: counted, estimated: false };
    return { value: Math.max(counted, estimate), estimated: true };
  }

  private parseCursor(text: string, sort: MovieSort): MovieCursor {
    const cursor = decodeCursor(text);
    if (!cursor) throw badRequest('INVALID_PARAMETER', 'cursor is not a cursor this API issued');
    if (cursor.sort !== sort) throw badRequest('INVALID_PARAMETER', `cursor was issued for sort=${cursor.sort}; repeat that sort or drop the cursor`);
    return cursor;
  }
}

