import { ConfigError, loadEnv } from '@marquee/common';
import { IdentityEnv } from './identity.env';

describe('IdentityEnv', () => {
  it('defaults to the six consumer mail providers and short-lived access tokens', () => {
    const sut = loadEnv(IdentityEnv, {});

    expect(sut.ALLOWED_EMAIL_DOMAINS).toEqual(['gmail.com', 'googlemail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'live.com']);
    expect(sut.ACCESS_TOKEN_TTL_S).toBe(900);
    expect(sut.VERIFICATION_TTL_H).toBe(24);
  });

  it('reads ALLOWED_EMAIL_DOMAINS as a comma-separated, case-insensitive list, or *', () => {
    expect(loadEnv(IdentityEnv, { ALLOWED_EMAIL_DOMAINS: ' Gmail.com, proton.me ,' }).ALLOWED_EMAIL_DOMAINS).toEqual(['gmail.com', 'proton.me']);
    expect(loadEnv(IdentityEnv, { ALLOWED_EMAIL_DOMAINS: '*' }).ALLOWED_EMAIL_DOMAINS).toEqual(['*']);
  });

  it.each([
    ['ALLOWED_EMAIL_DOMAINS', 'gmail.com,not a domain'],
    ['SMTP_URL', 'mail.example.com:25'],
    ['PUBLIC_URL', 'localhost:3000'],
    ['ACCESS_TOKEN_TTL_S', '10'],
    ['VERIFICATION_TTL_H', '0'],
  ])('fails naming %s when it is %j', (name, value) => {
    expect(() => loadEnv(IdentityEnv, { [name]: value })).toThrow(ConfigError);
    expect(() => loadEnv(IdentityEnv, { [name]: value })).toThrow(`${name}:`);
  });
});
