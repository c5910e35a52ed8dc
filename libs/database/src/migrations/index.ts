import { Migration20261121000000Foundation } from './Migration20261121000000Foundation';
import { Migration20261122000000UsageLogTimeBrin } from './Migration20261122000000UsageLogTimeBrin';
import { Migration20261122100000SearchStatistics } from './Migration20261122100000SearchStatistics';
import { Migration20261122110000SearchCoveringIndexes } from './Migration20261122110000SearchCoveringIndexes';
import { Migration20261122120000UsageLogNoForeignKey } from './Migration20261122120000UsageLogNoForeignKey';
import { Migration20261123000000Identity } from './Migration20261123000000Identity';
import { Migration20261123100000AdminPortal } from './Migration20261123100000AdminPortal';
import { Migration20261130000000SearchSpacelessTrigrams } from './Migration20261130000000SearchSpacelessTrigrams';
import { Migration20261130100000UsageLogRequestKey } from './Migration20261130100000UsageLogRequestKey';
import { Migration20261201000000PeopleTrigramIndex } from './Migration20261201000000PeopleTrigramIndex';
import { Migration20261201100000UsageLogKeyIndexAscending } from './Migration20261201100000UsageLogKeyIndexAscending';
import { Migration20261201200000UsageLatencyHistogram } from './Migration20261201200000UsageLatencyHistogram';
import { Migration20261201300000UsageLogTimeIsArrival } from './Migration20261201300000UsageLogTimeIsArrival';
import { Migration20261207000000TitleGenreTrigramIndex } from './Migration20261207000000TitleGenreTrigramIndex';
import { Migration20261207100000KeysOfVerifiedDevelopers } from './Migration20261207100000KeysOfVerifiedDevelopers';
import { Migration20261208000000PeopleSearchKeys } from './Migration20261208000000PeopleSearchKeys';

/** The one migration history, in order. Never edit a migration that has shipped; add one. */
export const MIGRATIONS = [
  { name: 'Migration20261121000000Foundation', class: Migration20261121000000Foundation },
  { name: 'Migration20261122000000UsageLogTimeBrin', class: Migration20261122000000UsageLogTimeBrin },
  { name: 'Migration20261122100000SearchStatistics', class: Migration20261122100000SearchStatistics },
  { name: 'Migration20261122110000SearchCoveringIndexes', class: Migration20261122110000SearchCoveringIndexes },
  { name: 'Migration20261122120000UsageLogNoForeignKey', class: Migration20261122120000UsageLogNoForeignKey },
  { name: 'Migration20261123000000Identity', class: Migration20261123000000Identity },
  { name: 'Migration20261123100000AdminPortal', class: Migration20261123100000AdminPortal },
  { name: 'Migration20261130000000SearchSpacelessTrigrams', class: Migration20261130000000SearchSpacelessTrigrams },
  { name: 'Migration20261130100000UsageLogRequestKey', class: Migration20261130100000UsageLogRequestKey },
  { name: 'Migration20261201000000PeopleTrigramIndex', class: Migration20261201000000PeopleTrigramIndex },
  { name: 'Migration20261201100000UsageLogKeyIndexAscending', class: Migration20261201100000UsageLogKeyIndexAscending },
  { name: 'Migration20261201200000UsageLatencyHistogram', class: Migration20261201200000UsageLatencyHistogram },
  { name: 'Migration20261201300000UsageLogTimeIsArrival', class: Migration20261201300000UsageLogTimeIsArrival },
  { name: 'Migration20261207000000TitleGenreTrigramIndex', class: Migration20261207000000TitleGenreTrigramIndex },
  { name: 'Migration20261207100000KeysOfVerifiedDevelopers', class: Migration20261207100000KeysOfVerifiedDevelopers },
  { name: 'Migration20261208000000PeopleSearchKeys', class: Migration20261208000000PeopleSearchKeys },
];
