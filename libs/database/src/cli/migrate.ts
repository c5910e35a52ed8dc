import { MikroORM } from '@mikro-orm/postgresql';
import { databaseConfig } from '../mikro-orm.config';

/** Applies pending migrations to `url`, creating the database if absent (npm run migrate, the launcher, tests). */
export async function migrate(url: string, log: (line: string) => void = console.log): Promise<void> {
  await ensureDatabase(url);
  const orm = await MikroORM.init(databaseConfig({ url, entities: [], poolMax: 1 }));
  try {
    const applied = await orm.getMigrator().up();
    log(applied.length ? `migrations applied: ${applied.map((m) => m.name).join(', ')}` : 'database schema is up to date');
  } finally {
    await orm.close(true);
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const orm = await MikroORM.init(databaseConfig({ url: admin.toString(), entities: [], poolMax: 1 }));
  try {
    const rows = await orm.em.getConnection().execute('select 1 from pg_database where datname = ?', [name]);
    if (rows.length === 0) await orm.em.getConnection().execute(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await orm.close(true);
  }
}
