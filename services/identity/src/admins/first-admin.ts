import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AdminsService } from './admins.service';

/** At start: make sure the configured first admin exists (creating it is idempotent). */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  constructor(private readonly orm: MikroORM, private readonly admins: AdminsService) {}

  onApplicationBootstrap(): Promise<void> {
    return RequestContext.create(this.orm.em, () => this.admins.ensureFirstAdmin());
  }
}
