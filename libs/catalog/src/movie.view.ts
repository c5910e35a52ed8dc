/** A movie as the public API answers it (snake_case, genres joined as in the CSV). */
export interface MovieView {
  id: number;
  title: string;
  year: number;
  genre: string;
  director: string | null;
  actors: string | null;
  plot: string | null;
  poster_url: string | null;
}

export interface MovieRow {
  id: string | number;
  title: string;
  year: number;
  genres: string[];
  director: string | null;
  actors: string | null;
  plot: string | null;
  poster_url: string | null;
}

export const MOVIE_COLUMNS = 'id, title, year, genres, director, actors, plot, poster_url';

export function toMovieView(row: MovieRow): MovieView {
  return {
    id: Number(row.id),
    title: row.title,
    year: row.year,
    genre: row.genres.join(', '),
    director: row.director,
    actors: row.actors,
    plot: row.plot,
    poster_url: row.poster_url,
  };
}
