import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min, validateSync } from 'class-validator';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Variables every service reads. Each service extends this with its own. */
export class BaseEnv {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/marquee';

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379/0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsIn(['pretty', 'json'])
  LOG_FORMAT: 'pretty' | 'json' = 'json';

  @Transform(({ value }) => Number(value))
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  SERVICE_NAME = 'marquee';

  /** `production` makes development defaults that are unsafe in public (JWT_SECRET) fatal. */
  @IsString()
  NODE_ENV = 'development';

  /**
   * Which proxies may set X-Forwarded-For: `false` (default: the client address is the socket's,
   * so nobody can pose as another IP to slip past the per-IP login throttle), `true` (any), a
   * hop count, or a comma-separated list of addresses / CIDRs (Fastify's trustProxy).
   */
  @Matches(/^(false|true|\d+|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
    message: 'TRUST_PROXY must be false, true, a hop count, or a comma-separated list of addresses or CIDRs',
  })
  TRUST_PROXY = 'false';
}

/** TRUST_PROXY as Fastify's trustProxy option. */
export function trustProxyOption(value: string): boolean | number | string[] {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((s) => s.trim());
}

/**
 * Builds a typed, validated config object from `source` (process.env by default). Throws one
 * ConfigError naming every variable that is wrong, so a misconfigured service dies at boot
 * with a readable message instead of failing on first use.
 */
export function loadEnv<T extends object>(cls: new () => T, source: NodeJS.ProcessEnv = process.env): T {
  const defaults = new cls();
  // Only the declared variables are read: a config object never carries unrelated secrets.
  const declared = Object.keys(defaults);
  const defined = Object.fromEntries(declared.map((k) => [k, source[k]]).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(cls, { ...defaults, ...defined }, { enableImplicitConversion: false });
  const errors = validateSync(env as object, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}

export const toInt = ({ value }: { value: unknown }) => Number(value);
export const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'boolean' ? value : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
