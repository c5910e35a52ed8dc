import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';
import { BaseEnv, DEVELOPMENT_JWT_SECRET, IsJwtSecret, loadEnv, toBool, toInt } from '@marquee/common';

export class GatewayEnv extends BaseEnv {
  override PORT = 3000;
  override SERVICE_NAME = 'gateway';

  @IsJwtSecret()
  JWT_SECRET = DEVELOPMENT_JWT_SECRET;

  @Matches(/^https?:\/\/[^/]+/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL = 'http://localhost:3000';

  /** Cookies are Secure when the public address is https: sent over TLS only. */
  get secureCookies(): boolean {
    return this.PUBLIC_URL.startsWith('https:');
  }

  /** Off only for benchmarks that measure what metering costs. */
  @Transform(toBool)
  @IsBoolean()
  USAGE_METERING = true;

  /** Usage events leave the process at least this often; a hard crash loses at most this window. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(10_000)
  USAGE_FLUSH_MS = 250;

  /**
   * ...or as soon as this many are buffered. The keys worker spends ~8 ms on each job whatever
   * its size and ~3 µs per event, so under load larger batches are most of metering's economy.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  USAGE_BATCH_MAX = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  MOVIE_CACHE_SIZE = 20_000;

  /**
   * Totals are counted exactly up to about this many matches, estimated beyond: gathering and
   * counting costs ~10 µs a match at 1M movies, so 1,000 keeps an exact total within a page's
   * budget of 30 ms.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  COUNT_CAP = 1_000;

  /** Deepest row reachable with page/limit; deeper pages use the cursor. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  MAX_OFFSET = 10_000;

  /** Uploads are written to DATA_DIR/uploads, which ingestion must read at the same path. */
  @IsString()
  @IsNotEmpty({ message: 'DATA_DIR must not be empty' })
  DATA_DIR = './data';

  /** Largest CSV upload in bytes (100 MB); a bigger one is answered 413 and its partial file removed. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  UPLOAD_MAX_BYTES = 100 * 1024 * 1024;
}

export const loadGatewayEnv = () => loadEnv(GatewayEnv);
