import { adminToken, call, catalogueLoaded, createKey, eventually, stack, uniqueEmail, withDb } from './support/e2e';

describe('Quota exactness across gateway replicas', () => {
  const LIMIT = 60;

  it(`admits exactly ${LIMIT} of ${LIMIT + 40} concurrent calls spread over two gateways, and meters every call`, async () => {
    const { gateways } = stack();
    expect(gateways).toHaveLength(2);
    await catalogueLoaded();
    await withDb((db) => db.query(
      `insert into plans (code, name, monthly_quota, rate_limit_per_minute, max_keys) values ('e2e-exact', 'Exactness', $1, null, 5) on conflict do nothing`,
      [LIMIT],
    ));
    const { id, key } = await createKey(await adminToken(), uniqueEmail('exact'), 'e2e-exact');

    const answers = await Promise.all(Array.from({ length: LIMIT + 40 }, (_, i) =>
      call(gateways[i % 2], `/movies/${1 + (i % 5)}`, { headers: { 'x-api-key': key } })));

    const admitted = answers.filter((a) => a.status !== 429);
    expect(admitted).toHaveLength(LIMIT);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(40);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 429]));
    const remaining = admitted.map((a) => Number(a.headers.get('x-quota-remaining'))).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, i) => i));

    const persisted = await eventually(
      () => withDb(async (db) => {
        const usage = await db.query('select usage_count::int as n, last_used_at from api_keys where id = $1', [id]);
        const logs = await db.query('select count(*)::int as rows, count(*) filter (where counted)::int as counted, count(distinct request_id)::int as ids from usage_logs where api_key_id = $1', [id]);
        return { usageCount: usage.rows[0].n as number, lastUsed: usage.rows[0].last_used_at as Date | null, ...logs.rows[0] };
      }),
      (p) => p.rows === LIMIT + 40 && p.usageCount === LIMIT,
    );
    expect(persisted).toMatchObject({ usageCount: LIMIT, rows: LIMIT + 40, counted: LIMIT, ids: LIMIT + 40 });
    expect(persisted.lastUsed).not.toBeNull();
  });
});
