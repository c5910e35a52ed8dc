import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { databaseConfig } from '../../libs/database/src/mikro-orm.config';
import { dropDatabase, PG_SERVER } from './servers';

export interface DatabaseBefore {
  url: string;
  db: Client;
  drop(): Promise<void>;
}

/**
 * A new database migrated up to and including `lastApplied`: the schema just before the
 * migration under test, to hold the data that migration will find.
 */
export async function databaseBefore(label: string, lastApplied: string): Promise<DatabaseBefore> {
  const name = `marquee_it_${label}_${randomBytes(4).toString('hex')}`;
  const url = `${PG_SERVER}/${name}`;
  const admin = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const orm = await MikroORM.init(databaseConfig({ url, entities: [], poolMax: 1 }));
  await orm.getMigrator().up({ to: lastApplied });
  await orm.close(true);
  const db = new Client({ connectionString: url });
  await db.connect();
  return {
    url,
    db,
    drop: async () => {
      await db.end();
      await dropDatabase(name);
    },
  };
}
