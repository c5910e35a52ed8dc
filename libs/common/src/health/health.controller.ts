import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, MikroOrmHealthIndicator } from '@nestjs/terminus';
import Redis from 'ioredis';
import { DomainError } from '../errors/domain-error';
import { REDIS } from '../redis/redis.module';

/** /health: the process is up (liveness). /ready: PostgreSQL and Redis answer (readiness). */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: MikroOrmHealthIndicator,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('health')
  @HttpCode(200)
  live() {
    return { status: 'ok', uptime_s: Math.round(process.uptime()) };
  }

  @Get('ready')
  async ready() {
    try {
      return await this.health.check([
        () => this.db.pingCheck('postgresql', { timeout: 1500 }),
        () => this.pingRedis(),
      ]);
    } catch (error) {
      const details = (error as { response?: { error?: Record<string, unknown> } }).response?.error ?? {};
      const down = Object.keys(details).join(', ') || 'a dependency';
      throw new DomainError('NOT_READY', 503, `Not ready: ${down} unreachable`, { 'retry-after': 5 });
    }
  }

  private async pingRedis() {
    const check = this.indicators.check('redis');
    try {
      await Promise.race([this.redis.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1500))]);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
