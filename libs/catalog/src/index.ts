export * from './movie.entity';
export * from './movie.view';
export * from './normalise';
export * from './movie-search.query';
