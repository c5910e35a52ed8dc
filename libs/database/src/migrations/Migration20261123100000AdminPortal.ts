import { Migration } from '@mikro-orm/migrations';

/**
 * The admin portal: every rejected row of an import (the report download; `imports.errors` keeps
 * the first 1,000 for the detail view) and the admin audit trail.
 */
export class Migration20261123100000AdminPortal extends Migration {
  override async up(): Promise<void> {
    // ingestion service
    this.addSql(`
      create table import_rejections (
        import_id uuid not null references imports (id) on delete cascade,
        line int not null,
        reason text not null,
        primary key (import_id, line)
      );`);
    this.addSql(`create index imports_status_idx on imports (status, created_at desc);`);

    // identity service: who did what, when, to which key or import
    this.addSql(`
      create table admin_audit (
        id uuid primary key,
        actor_id text not null,
        actor_name text not null,
        action text not null,
        target_type text null,
        target_id text null,
        detail jsonb not null default '{}',
        ip text null,
        created_at timestamptz not null default now()
      );`);
    this.addSql(`create index admin_audit_created_at_idx on admin_audit (created_at desc);`);
    this.addSql(`create index admin_audit_target_idx on admin_audit (target_id, created_at desc);`);
  }
}
