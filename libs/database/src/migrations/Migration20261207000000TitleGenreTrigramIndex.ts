import { Migration } from '@mikro-orm/migrations';

/**
 * The title (without spaces) and the genre keys in one trigram and GIN index, instead of the
 * title alone. As with the people's (PeopleTrigramIndex), GIN answers a condition on either
 * column from it, and a title word with a genre in one scan that skips through the genre's long
 * posting list: at 1M movies "stranger" in Westerns gave its 1,714 rows in 9–11 ms, where the
 * title's bitmap (17,581 rows, 16 ms) and the genre's (99,027 rows, 24 ms) were built to be
 * intersected. A title word in a decade with a genre, the search bench's slowest shape, went
 * from p50 48 / p95 65 ms to 22 / 31 in the same hour; searches of the title alone are as fast as
 * before. 49 MB against 46, 5.8 s to build against 5.3. Genre alone keeps its own index.
 */
export class Migration20261207000000TitleGenreTrigramIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists movies_title_spaceless_trgm_idx;`);
    this.addSql(`create index movies_title_genre_spaceless_trgm_idx on movies
      using gin (replace(title, ' ', '') gin_trgm_ops, genre_keys);`);
    this.addSql(`alter index movies_title_genre_spaceless_trgm_idx alter column 1 set statistics 1000;`);
    this.addSql(`analyze movies;`);
  }
}
