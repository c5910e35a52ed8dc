import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class AdminLoginBody {
  @ApiProperty({ example: 'admin' })
  @IsString({ message: 'username must be a string' })
  @MinLength(1, { message: 'username is required' })
  @MaxLength(64, { message: 'username must be at most 64 characters' })
  username: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString({ message: 'password must be a string' })
  @MinLength(1, { message: 'password is required' })
  @MaxLength(200, { message: 'password must be at most 200 characters' })
  password: string;
}
