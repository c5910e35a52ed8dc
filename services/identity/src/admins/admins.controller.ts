import { CreateRequestContext, MikroORM } from '@mikro-orm/postgresql';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AdminLoginRequest, AdminLoginResult, IDENTITY_PATTERNS } from '@marquee/contracts';
import { AdminsService } from './admins.service';

@Controller()
export class AdminsController {
  constructor(private readonly orm: MikroORM, private readonly admins: AdminsService) {}

  @MessagePattern(IDENTITY_PATTERNS.adminLogin)
  @CreateRequestContext()
  login(@Payload() request: AdminLoginRequest): Promise<AdminLoginResult> {
    return this.admins.login(request);
  }
}
