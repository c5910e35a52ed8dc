import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseBefore, DatabaseBefore } from '../../../../test/support/database-before';
import { migrate } from '../cli/migrate';

describe('migration KeysOfVerifiedDevelopers', () => {
  let before: DatabaseBefore;
  let db: Client;

  beforeAll(async () => {
    before = await databaseBefore('owners', 'Migration20261207000000TitleGenreTrigramIndex');
    db = before.db;
  });

  afterAll(() => before.drop());

  it('gives a verified developer the keys made for their address, and leaves every other key as it was', async () => {
    const user = async (email: string, verified: boolean) => (await db.query<{ id: string }>(
      `insert into users (name, email, email_canonical, hashed_password, verified, verified_at)
       values ('Dev', $1, $1, 'x', $2, case when $2 then now() end) returning id`, [email, verified])).rows[0].id;
    const key = async (email: string, ownerId: string | null = null) => (await db.query<{ id: string }>(
      `insert into api_keys (owner_email, owner_id, name, key_hash, prefix, plan_code) values ($1, $2, 'k', $3, $4, 'free') returning id`,
      [email, ownerId, randomBytes(32).toString('hex'), randomBytes(4).toString('hex')])).rows[0].id;
    const verified = await user('verified@gmail.com', true);
    await user('pending@gmail.com', false);
    const other = await user('other@gmail.com', true);
    const made = [await key('verified@gmail.com'), await key('verified@gmail.com')];
    const pending = await key('pending@gmail.com');
    const stranger = await key('nobody@gmail.com');
    const owned = await key('verified@gmail.com', other);

    await migrate(before.url, () => undefined);

    const owners = new Map((await db.query<{ id: string; owner_id: string | null }>('select id, owner_id from api_keys')).rows.map((r) => [r.id, r.owner_id]));
    expect(made.map((id) => owners.get(id))).toEqual([verified, verified]);
    expect([owners.get(pending), owners.get(stranger), owners.get(owned)]).toEqual([null, null, other]);
  });
});
