import { Migration20261121000000Foundation } from './Migration20261121000000Foundation';
import { Migration20261122000000UsageLogTimeBrin } from './Migration20261122000000UsageLogTimeBrin';
import { Migration20261123100000AdminPortal } from './Migration20261123100000AdminPortal';

/** The one migration history, in order. Never edit a migration that has shipped; add one. */
export const MIGRATIONS = [
  { name: 'Migration20261121000000Foundation', class: Migration20261121000000Foundation },
  { name: 'Migration20261122000000UsageLogTimeBrin', class: Migration20261122000000UsageLogTimeBrin },
  { name: 'Migration20261123100000AdminPortal', class: Migration20261123100000AdminPortal },
];
