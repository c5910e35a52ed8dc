import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Min } from 'class-validator';
import { BaseEnv, ConfigError, loadEnv, toBool, toInt, trustProxyOption } from './env';

class TestEnv extends BaseEnv {
  @Transform(toInt)
  @IsInt({ message: 'BATCH_SIZE must be an integer' })
  @Min(1)
  BATCH_SIZE = 100;

  @Transform(toBool)
  @IsBoolean()
  FEATURE_ON = false;

  @IsString()
  GREETING = 'hello';
}

describe('loadEnv', () => {
  it('applies the defaults when the source is empty', () => {
    const sut = loadEnv(TestEnv, {});

    expect(sut).toBeInstanceOf(TestEnv);
    expect(sut.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/marquee');
    expect(sut.REDIS_URL).toBe('redis://127.0.0.1:6379/0');
    expect(sut.PORT).toBe(3000);
    expect(sut.LOG_LEVEL).toBe('info');
    expect(sut.BATCH_SIZE).toBe(100);
    expect(sut.FEATURE_ON).toBe(false);
    expect(sut.GREETING).toBe('hello');
  });

  it('treats an empty value as unset', () => {
    const sut = loadEnv(TestEnv, { PORT: '', BATCH_SIZE: '' });

    expect(sut.PORT).toBe(3000);
    expect(sut.BATCH_SIZE).toBe(100);
  });

  it('converts numeric and boolean strings', () => {
    const sut = loadEnv(TestEnv, { PORT: '8080', BATCH_SIZE: '25', FEATURE_ON: 'true' });

    expect(sut.PORT).toBe(8080);
    expect(sut.BATCH_SIZE).toBe(25);
    expect(sut.FEATURE_ON).toBe(true);
  });

  it('takes given values over the defaults', () => {
    const sut = loadEnv(TestEnv, {
      DATABASE_URL: 'postgresql://u:p@db:5432/x', REDIS_URL: 'rediss://cache:6380/2', LOG_LEVEL: 'debug', GREETING: 'hi',
    });

    expect(sut.DATABASE_URL).toBe('postgresql://u:p@db:5432/x');
    expect(sut.REDIS_URL).toBe('rediss://cache:6380/2');
    expect(sut.LOG_LEVEL).toBe('debug');
    expect(sut.GREETING).toBe('hi');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['BATCH_SIZE', '2.5'],
    ['BATCH_SIZE', '0'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['REDIS_URL', 'localhost:6379'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_FORMAT', 'xml'],
  ])('throws a ConfigError naming %s when it is %j', (name, value) => {
    let error: unknown;
    try {
      loadEnv(TestEnv, { [name]: value });
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${name}:`);
  });

  it('names every wrong variable in one error and no correct one', () => {
    let message = '';
    try {
      loadEnv(TestEnv, { PORT: 'x', REDIS_URL: 'nope', GREETING: 'fine' });
    } catch (e) {
      message = (e as Error).message;
    }

    expect(message).toMatch(/^\s+PORT:/m);
    expect(message).toMatch(/^\s+REDIS_URL:/m);
    expect(message).not.toMatch(/GREETING|DATABASE_URL|BATCH_SIZE/);
  });

  it('reads process.env when no source is given', () => {
    const previous = process.env.BATCH_SIZE;
    process.env.BATCH_SIZE = '7';
    try {
      expect(loadEnv(TestEnv).BATCH_SIZE).toBe(7);
    } finally {
      if (previous === undefined) delete process.env.BATCH_SIZE;
      else process.env.BATCH_SIZE = previous;
    }
  });
});

describe('trustProxyOption', () => {
  it('trusts no proxy by default, so X-Forwarded-For cannot pose as another client', () => {
    expect(trustProxyOption(loadEnv(TestEnv, {}).TRUST_PROXY)).toBe(false);
  });

  it.each<[string, boolean | number | string[]]>([
    ['true', true],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 192.168.1.1', ['10.0.0.0/8', '192.168.1.1']],
  ])('reads TRUST_PROXY=%s as Fastify trustProxy %p', (value, expected) => {
    expect(trustProxyOption(loadEnv(TestEnv, { TRUST_PROXY: value }).TRUST_PROXY)).toEqual(expected);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadEnv(TestEnv, { TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY must be false, true, a hop count/);
  });
});
