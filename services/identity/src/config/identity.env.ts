import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { BaseEnv, DEVELOPMENT_JWT_SECRET, IsJwtSecret, loadEnv, toInt } from '@marquee/common';

const toDomainList = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : String(value).split(',')).map((d: string) => d.trim().toLowerCase()).filter(Boolean);

export class IdentityEnv extends BaseEnv {
  override PORT = 3001;
  override SERVICE_NAME = 'identity';

  @IsJwtSecret()
  JWT_SECRET = DEVELOPMENT_JWT_SECRET;

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

  /** Verification links are built from this, never from a request's Host header. */
  @Matches(/^https?:\/\/[^/]+/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL = 'http://localhost:3000';

  @Matches(/^smtps?:\/\/[^/]+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Marquee <no-reply@marquee.local>';

  /** Sign-up accepts these domains only; `*` accepts any domain that is not disposable. */
  @Transform(toDomainList)
  @ArrayNotEmpty({ message: 'ALLOWED_EMAIL_DOMAINS must list at least one domain' })
  @Matches(/^(\*|[a-z0-9.-]+\.[a-z]{2,})$/, { each: true, message: 'ALLOWED_EMAIL_DOMAINS must be comma-separated domains (or *)' })
  ALLOWED_EMAIL_DOMAINS: string[] = ['gmail.com', 'googlemail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'live.com'];

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(168)
  VERIFICATION_TTL_H = 24;

  /** Lifetime of a developer's access token: short, the refresh token renews it. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_S = 900;

  @Transform(toInt)
  @IsInt()
  @Min(3600)
  @Max(90 * 86_400)
  REFRESH_TOKEN_TTL_S = 30 * 86_400;
}

export const loadIdentityEnv = () => loadEnv(IdentityEnv);
