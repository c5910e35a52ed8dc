import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { BaseEnv, loadEnv, toInt } from '@marquee/common';

export class LauncherEnv extends BaseEnv {
  override SERVICE_NAME = 'launcher';
  override LOG_FORMAT: 'pretty' | 'json' = 'pretty';

  @IsString()
  ADMIN_USERNAME = 'admin';

  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  GATEWAY_PORT = 3000;

  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  IDENTITY_PORT = 3001;

  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  KEYS_PORT = 3002;

  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  INGESTION_PORT = 3003;

  portOf(service: 'gateway' | 'identity' | 'keys' | 'ingestion'): number {
    return { gateway: this.GATEWAY_PORT, identity: this.IDENTITY_PORT, keys: this.KEYS_PORT, ingestion: this.INGESTION_PORT }[service];
  }
}

export const loadLauncherEnv = () => loadEnv(LauncherEnv);
