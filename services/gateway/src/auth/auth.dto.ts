import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_RULES } from '@marquee/contracts';
import { MaxUtf8Bytes } from '../validation/max-bytes';

const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

export class SignupBody {
  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name is required' })
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  @Matches(NO_CONTROL_CHARS, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ example: 'ada@gmail.com' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', description: `${PASSWORD_RULES.minChars} characters to ${PASSWORD_RULES.maxBytes} bytes (UTF-8)` })
  @IsString({ message: 'password must be a string' })
  @MinLength(PASSWORD_RULES.minChars, { message: `password must be at least ${PASSWORD_RULES.minChars} characters` })
  @MaxUtf8Bytes(PASSWORD_RULES.maxBytes, { message: `password must be at most ${PASSWORD_RULES.maxBytes} bytes in UTF-8 (bcrypt ignores anything longer)` })
  password: string;
}

export class LoginBody {
  @ApiProperty({ example: 'ada@gmail.com' })
  @IsString({ message: 'email must be a string' })
  @MinLength(3, { message: 'email is required' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString({ message: 'password must be a string' })
  @MinLength(1, { message: 'password is required' })
  @MaxLength(200, { message: 'password must be at most 200 characters' })
  password: string;
}

export class ResendBody {
  @ApiProperty({ example: 'ada@gmail.com' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email: string;
}

export class RefreshBody {
  @ApiProperty({ example: 'p0Q2kq3Yl1v3kD8WfR0m1yXz8c5r2hJm0xT9gq7uN4s' })
  @IsString({ message: 'refresh_token must be a string' })
  @MinLength(1, { message: 'refresh_token is required' })
  @MaxLength(200, { message: 'refresh_token must be at most 200 characters' })
  refresh_token: string;
}
