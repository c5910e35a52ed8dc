import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { BaseEnv, loadEnv, toInt } from '@marquee/common';

export class IdentityEnv extends BaseEnv {
  override PORT = 3001;
  override SERVICE_NAME = 'identity';

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET = 'local-development-secret-change-me-in-production';

  @Matches(/^[A-Za-z0-9_.@-]{3,64}$/, { message: 'ADMIN_USERNAME must be 3-64 letters, digits or _ . @ -' })
  ADMIN_USERNAME = 'admin';

  /** Empty: a password is generated and printed once when the first admin is created. */
  @IsString()
  ADMIN_PASSWORD = '';

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86_400)
  ADMIN_TOKEN_TTL_S = 3600;
}

export const loadIdentityEnv = () => loadEnv(IdentityEnv);
