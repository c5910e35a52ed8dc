import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { KEY_SORTS, KeySort, KeyStatus, PlanCode, SEEDED_PLANS } from '@marquee/contracts';
import { IsKeyName } from '../validation/key-name';
import { PageQuery } from '../validation/page.query';

const PLANS = [...SEEDED_PLANS];
const PLAN_CODE = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** The format only: whether the plan exists is the keys service's answer (422). */
const IsPlanCode = () => Matches(PLAN_CODE, { message: `plan must be a plan code such as ${PLANS.join(', ')}` });

export class ListKeysQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Substring of name, owner e-mail or key prefix' })
  @IsOptional() @IsString({ message: 'q must be a single text value' }) @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional() @IsIn(['active', 'suspended'], { message: 'status must be active or suspended' })
  status?: KeyStatus;

  @ApiPropertyOptional({ enum: PLANS })
  @IsOptional() @IsString({ message: 'plan must be a single text value' }) @IsPlanCode()
  plan?: PlanCode;

  @ApiPropertyOptional({ enum: KEY_SORTS, default: '-created_at' })
  @IsOptional() @IsIn(KEY_SORTS, { message: `sort must be one of ${KEY_SORTS.join(', ')}` })
  sort: KeySort = '-created_at';
}

export class CreateKeyBody {
  @ApiProperty({ example: 'dev@gmail.com' })
  @IsEmail({}, { message: 'owner_email must be an e-mail address' })
  @MaxLength(254, { message: 'owner_email must be at most 254 characters' })
  owner_email: string;

  @ApiProperty({ example: 'Production', description: 'trimmed of whitespace and invisible characters; 1-100 characters' })
  @IsKeyName()
  name: string;

  @ApiProperty({ example: 'free', description: `a plan code: ${PLANS.join(', ')}` })
  @IsString({ message: 'plan must be a string' })
  @IsPlanCode()
  plan: PlanCode;
}

export class ChangePlanBody {
  @ApiProperty({ example: 'pro', description: `a plan code: ${PLANS.join(', ')}` })
  @IsString({ message: 'plan must be a string' })
  @IsPlanCode()
  plan: PlanCode;
}
