import { Migration20261121000000Foundation } from './Migration20261121000000Foundation';

/** The one migration history, in order. Never edit a migration that has shipped; add one. */
export const MIGRATIONS = [
  { name: 'Migration20261121000000Foundation', class: Migration20261121000000Foundation },
];
