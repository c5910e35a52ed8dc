import { Migration } from '@mikro-orm/migrations';

/**
 * Developers (identity): users, e-mail verifications and refresh tokens; on api_keys (keys), the
 * marker that makes the first key of a developer unique and the quota-notice level per month.
 */
export class Migration20261123000000Identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table users (
        id uuid primary key default gen_random_uuid(),
        name text not null,
        email text not null,
        email_canonical text not null,
        hashed_password text not null,
        verified boolean not null default false,
        verified_at timestamptz null,
        created_at timestamptz not null default now()
      );`);
    // One account per mailbox: lower-case, and for Gmail without dots and +tags (see email-address.ts).
    this.addSql(`create unique index users_email_canonical_key on users (email_canonical);`);
    this.addSql(`create index users_created_at_idx on users (created_at desc);`);
    // The admin's user search (ILIKE on e-mail and name); e-mails are stored lower-case.
    this.addSql(`create index users_email_trgm_idx on users using gin (email gin_trgm_ops);`);
    this.addSql(`create index users_name_trgm_idx on users using gin (name gin_trgm_ops);`);
    this.addSql(`
      create table email_verifications (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        token_hash char(64) not null unique,
        expires_at timestamptz not null,
        used_at timestamptz null,
        revoked_at timestamptz null,
        created_at timestamptz not null default now()
      );`);
    this.addSql(`create index email_verifications_user_idx on email_verifications (user_id) where used_at is null and revoked_at is null;`);
    this.addSql(`
      create table refresh_tokens (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        family_id uuid not null,
        token_hash char(64) not null unique,
        expires_at timestamptz not null,
        used_at timestamptz null,
        revoked_at timestamptz null,
        created_at timestamptz not null default now()
      );`);
    this.addSql(`create index refresh_tokens_family_idx on refresh_tokens (family_id);`);

    // keys service: at most one first key per developer, whatever happens to the verified event.
    this.addSql(`alter table api_keys add column first_key boolean not null default false;`);
    this.addSql(`create unique index api_keys_first_key_owner_key on api_keys (owner_id) where first_key;`);
    // The highest quota threshold (80, 100) already mailed for usage_period: one mail per threshold per month.
    this.addSql(`alter table api_keys add column quota_notice_period date null;`);
    this.addSql(`alter table api_keys add column quota_notice_level smallint not null default 0;`);
  }
}
