import { adminToken, call, createKey, stack, uniqueEmail } from './support/e2e';

describe('Operations endpoints', () => {
  it('answers /health and /ready on every service', async () => {
    const s = stack();
    for (const base of [...s.gateways, ...Object.values(s.services)]) {
      expect((await call(base, '/health')).status).toBe(200);
      const ready = await call(base, '/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details).toMatchObject({ postgresql: { status: 'up' }, redis: { status: 'up' } });
    }
  });

  it('exposes Prometheus request counts and latency histograms on the gateway', async () => {
    const gateway = stack().gateways[0];
    const { key } = await createKey(await adminToken(), uniqueEmail('metrics'));
    await call(gateway, '/movies/1', { headers: { 'x-api-key': key } });
    const metrics = await call(gateway, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/marquee_http_requests_total\{method="GET",route="\/movies\/:id",status="200"\} \d+/);
    expect(metrics.body).toContain('marquee_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('process_cpu_seconds_total');
  });

  it('documents every public and admin operation with an example for every response', async () => {
    const gateway = stack().gateways[0];
    expect((await call(gateway, '/docs')).status).toBe(200);
    const doc = (await call(gateway, '/docs-json')).body;
    for (const path of ['/movies', '/search', '/movies/{id}', '/v1/movies', '/admin/api/login', '/admin/api/keys', '/admin/api/keys/{id}/suspend', '/admin/api/users', '/auth/signup', '/auth/verify', '/me/keys', '/me/stats']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const missing: string[] = [];
    for (const [path, operations] of Object.entries<Record<string, { responses: Record<string, { content?: Record<string, { example?: unknown }> }> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (status === '204') continue;
          const examples = Object.values(response.content ?? {}).map((c) => c.example);
          if (!examples.some((e) => e !== undefined)) missing.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents the public API as clients generate code from it: integer parameters, the limit headers, fitting examples', async () => {
    const doc = (await call(stack().gateways[0], '/docs-json')).body;
    const parameter = (path: string, name: string) => doc.paths[path].get.parameters.find((p: { name: string }) => p.name === name);
    for (const [path, name] of [['/movies', 'page'], ['/movies', 'limit'], ['/search', 'year'], ['/search', 'year_from'], ['/movies/{id}', 'id']]) {
      expect({ path, name, type: parameter(path, name).schema.type }).toEqual({ path, name, type: 'integer' });
    }
    for (const path of ['/movies', '/search', '/movies/{id}']) {
      const { responses } = doc.paths[path].get;
      expect(Object.keys(responses['200'].headers ?? {})).toEqual(expect.arrayContaining(['X-RateLimit-Remaining', 'X-Quota-Remaining']));
      expect(Object.keys(responses['429'].headers ?? {})).toContain('Retry-After');
      expect(responses['401'].headers).toBeUndefined();
    }
    expect(doc.paths['/movies/{id}'].get.responses['400'].content['application/problem+json'].example.detail).toMatch(/^id /);
  });

  it('documents the 415 of every operation that takes a JSON body', async () => {
    const doc = (await call(stack().gateways[0], '/docs-json')).body;
    const jsonBodies: string[] = [];
    const without415: string[] = [];
    for (const [path, operations] of Object.entries<Record<string, { requestBody?: { content?: Record<string, unknown> }; responses: Record<string, unknown> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        if (!op.requestBody?.content?.['application/json']) continue;
        jsonBodies.push(`${method.toUpperCase()} ${path}`);
        if (!op.responses['415']) without415.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(jsonBodies).toEqual(expect.arrayContaining(['POST /admin/api/login', 'POST /admin/api/keys', 'PATCH /admin/api/keys/{id}', 'POST /auth/signup', 'POST /me/keys']));
    expect(without415).toEqual([]);
  });

  it('answers unknown routes with problem+json 404', async () => {
    const answer = await call(stack().gateways[0], '/no/such/route');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });
});
