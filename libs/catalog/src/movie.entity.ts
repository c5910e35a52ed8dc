import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** The catalogue row. Written only by ingestion (COPY + merge), read by the gateway. */
@Entity({ tableName: 'movies' })
@Unique({ name: 'movies_title_key_year_key', properties: ['titleKey', 'year'] })
export class Movie {
  [OptionalProps]?: 'genres' | 'genreKeys' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'text' })
  title!: string;

  /** normaliseTitle(title): the identity of a movie together with its year. */
  @Property({ type: 'text' })
  titleKey!: string;

  @Property({ type: 'integer' })
  year!: number;

  @Property({ type: 'text[]' })
  genres: string[] = [];

  @Property({ type: 'text[]' })
  genreKeys: string[] = [];

  @Property({ type: 'text', nullable: true })
  director?: string | null;

  @Property({ type: 'text', nullable: true })
  actors?: string | null;

  @Property({ type: 'text', nullable: true })
  plot?: string | null;

  @Property({ type: 'text', nullable: true })
  posterUrl?: string | null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
