import { JwtService } from '@nestjs/jwt';
import { verifyAdminToken } from './admin-token';

describe('verifyAdminToken', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';
  const sut = (token: string) => verifyAdminToken(new JwtService({ secret }), token);
  const issuer = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
  const admin = { sub: '00000000-0000-0000-0000-000000000001', role: 'admin', name: 'mallory' };

  it('accepts an HS256 admin token with exp and jti', async () => {
    const token = issuer.sign(admin, { expiresIn: 600, jwtid: 'session-1' });
    await expect(sut(token)).resolves.toMatchObject({ ...admin, jti: 'session-1', exp: expect.any(Number) });
  });

  it('refuses with 401 a token without exp, which would never expire', async () => {
    await expect(sut(issuer.sign(admin, { jwtid: 'session-1' }))).rejects.toMatchObject({ status: 401, message: expect.stringContaining('no exp claim') });
  });

  it('refuses with 401 a token without jti, which could not be signed out', async () => {
    await expect(sut(issuer.sign(admin, { expiresIn: 600 }))).rejects.toMatchObject({ status: 401, message: expect.stringContaining('no jti claim') });
  });

  it('refuses with 401 the same claims signed with another HMAC (HS512) or another secret', async () => {
    const hs512 = issuer.sign(admin, { expiresIn: 600, jwtid: 'session-1', algorithm: 'HS512' });
    const foreign = new JwtService({ secret: 'someone-elses-secret-someone-elses' }).sign(admin, { expiresIn: 600, jwtid: 'session-1' });
    await expect(sut(hs512)).rejects.toMatchObject({ status: 401 });
    await expect(sut(foreign)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses with 403 a valid developer token', async () => {
    // As identity issues them: no jti.
    await expect(sut(issuer.sign({ ...admin, role: 'developer' }, { expiresIn: 600 }))).rejects.toMatchObject({ status: 403 });
  });
});
