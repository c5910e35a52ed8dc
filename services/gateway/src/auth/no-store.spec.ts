import Fastify from 'fastify';
import { registerNoStore } from './no-store';

describe('registerNoStore', () => {
  const sut = Fastify();
  registerNoStore(sut);
  for (const url of ['/admin/api/login', '/auth/login', '/me', '/me/keys', '/movies', '/metrics', '/admin/', '/portal/login']) {
    sut.post(url, async () => ({ ok: true }));
  }
  afterAll(() => sut.close());

  it.each(['/admin/api/login', '/auth/login', '/me', '/me/keys'])('answers %s with Cache-Control: no-store', async (url) => {
    expect((await sut.inject({ method: 'POST', url })).headers['cache-control']).toBe('no-store');
  });

  it.each(['/movies', '/metrics', '/admin/', '/portal/login'])('leaves %s alone', async (url) => {
    expect((await sut.inject({ method: 'POST', url })).headers['cache-control']).toBeUndefined();
  });
});
