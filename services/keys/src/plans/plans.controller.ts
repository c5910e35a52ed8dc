import { CreateRequestContext, EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { KEYS_PATTERNS, PlanView } from '@marquee/contracts';
import { Plan } from './plan.entity';

@Controller()
export class PlansController {
  constructor(private readonly orm: MikroORM, private readonly em: EntityManager) {}

  @MessagePattern(KEYS_PATTERNS.listPlans)
  @CreateRequestContext()
  async list(): Promise<PlanView[]> {
    const plans = await this.em.find(Plan, {}, { orderBy: { maxKeys: 'asc' } });
    return plans.map((p) => p.toView());
  }
}
