import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Max, Min } from 'class-validator';
import { BaseEnv, loadEnv, toBool, toInt } from '@marquee/common';

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

  /** Run MailDev (SMTP catcher with a web inbox) and send every mail there; false: use SMTP_URL. */
  @Transform(toBool) @IsBoolean()
  MAILDEV = true;

  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  MAILDEV_SMTP_PORT = 1025;

  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  MAILDEV_WEB_PORT = 1080;

  /** Where browsers reach the gateway (verification links); empty: http://localhost:GATEWAY_PORT. */
  @IsString()
  PUBLIC_URL = '';

  portOf(service: 'gateway' | 'identity' | 'keys' | 'ingestion'): number {
    return { gateway: this.GATEWAY_PORT, identity: this.IDENTITY_PORT, keys: this.KEYS_PORT, ingestion: this.INGESTION_PORT }[service];
  }
}

export const loadLauncherEnv = () => loadEnv(LauncherEnv);
