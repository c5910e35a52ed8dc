import { Migration } from '@mikro-orm/migrations';

/**
 * usage_logs takes every API call, ~10,000 rows a second at full load. Its foreign key to
 * api_keys ran a trigger per row, re-checking what the batch insert had just checked itself
 * (it keeps only events of keys that exist), and keys are never deleted, only marked deleted,
 * so no reference can dangle afterwards. Without it (npm run bench:usage, same machine and
 * hour) batches persist 37,000–39,600 events/s instead of 31,600, and the queue path 30,600–32,700
 * instead of 21,200.
 */
export class Migration20261122120000UsageLogNoForeignKey extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table usage_logs drop constraint if exists usage_logs_api_key_id_fkey;`);
  }
}
