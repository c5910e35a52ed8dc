import { BaseEnv, ConfigError, loadEnv } from './env';
import { DEVELOPMENT_JWT_SECRET, IsJwtSecret } from './jwt-secret';

class TokenEnv extends BaseEnv {
  @IsJwtSecret()
  JWT_SECRET = DEVELOPMENT_JWT_SECRET;
}

describe('IsJwtSecret', () => {
  it('lets a local run and the tests use the development default', () => {
    expect(loadEnv(TokenEnv, {}).JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET);
    expect(loadEnv(TokenEnv, { NODE_ENV: 'test' }).JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it('refuses the published default under NODE_ENV=production, naming JWT_SECRET', () => {
    expect(() => loadEnv(TokenEnv, { NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadEnv(TokenEnv, { NODE_ENV: 'production' })).toThrow(/JWT_SECRET: .*NODE_ENV=production/);
    expect(() => loadEnv(TokenEnv, { NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow('JWT_SECRET:');
  });

  it('refuses a secret shorter than 32 characters in any environment', () => {
    for (const NODE_ENV of ['production', 'development']) {
      expect(() => loadEnv(TokenEnv, { NODE_ENV, JWT_SECRET: 'x'.repeat(31) })).toThrow('JWT_SECRET must be at least 32 characters');
    }
  });

  it('accepts a secret of its own in production', () => {
    const secret = 'k'.repeat(32);
    expect(loadEnv(TokenEnv, { NODE_ENV: 'production', JWT_SECRET: secret }).JWT_SECRET).toBe(secret);
  });
});
