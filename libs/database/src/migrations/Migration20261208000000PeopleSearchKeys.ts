import { Migration } from '@mikro-orm/migrations';

/**
 * The director and the cast lowered once, when a movie is written, in stored columns that the
 * title and year covering indexes carry instead of the names as written. A walk checks a name on
 * every index entry it reads, and lowering the name there cost as much as reading the entry:
 * 30,000 entries with a director's and an actor's surname took 10.1 ms of backend CPU with
 * `lower(director) like …`, 5.4 ms with `director_key like …` (4.3 ms reading them alone).
 * The table grows by the two columns (~80 MB at 1M movies); the indexes keep their size.
 * Rewrites the table, locked meanwhile: under half a minute at 1M movies on the bench machine.
 * `migrate` vacuums it afterwards, for the index-only walks' visibility map.
 */
export class Migration20261208000000PeopleSearchKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table movies
      add column director_key text generated always as (lower(director)) stored,
      add column actors_key text generated always as (lower(actors)) stored;`);
    this.addSql(`drop index if exists movies_title_cover_idx;`);
    this.addSql(`create index movies_title_cover_idx on movies (title, id) include (year, genre_keys, director_key, actors_key);`);
    this.addSql(`drop index if exists movies_year_cover_idx;`);
    this.addSql(`create index movies_year_cover_idx on movies (year, id) include (title, genre_keys, director_key, actors_key);`);
  }
}
