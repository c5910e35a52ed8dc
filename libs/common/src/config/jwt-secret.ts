import { IsString, MinLength, ValidateBy } from 'class-validator';

/** Printed in .env.example and the source: anyone can sign tokens with it, so production refuses it. */
export const DEVELOPMENT_JWT_SECRET = 'local-development-secret-change-me-in-production';

/** JWT_SECRET: at least 32 characters always, and not the published default under NODE_ENV=production. */
export function IsJwtSecret(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })(target, key);
    ValidateBy({
      name: 'isNotPublishedSecret',
      validator: {
        validate: (value, args) => (args?.object as { NODE_ENV?: string }).NODE_ENV !== 'production' || value !== DEVELOPMENT_JWT_SECRET,
        defaultMessage: () => 'JWT_SECRET must be set to a secret of your own when NODE_ENV=production (the default is published); e.g. openssl rand -base64 48',
      },
    })(target, key);
  };
}
