import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectRedis } from '@marquee/common';

const WINDOW_S = 15 * 60;
const MAX_PER_ACCOUNT = 5;
const MAX_PER_IP = 20;

/**
 * Counts failed logins per account and per IP in a 15-minute window. Past the limit, logins are
 * refused with a retry time until the window passes: slows guessing, never locks anyone out for good.
 */
@Injectable()
export class LoginThrottle {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  /** Seconds to wait, or 0 when a try is allowed. */
  async retryAfter(account: string, ip: string, scope = ''): Promise<number> {
    const [accountKey, ipKey] = this.keys(account, ip, scope);
    const results = await this.redis.multi().get(accountKey).ttl(accountKey).get(ipKey).ttl(ipKey).exec();
    const [accountFails, accountTtl, ipFails, ipTtl] = (results ?? []).map(([, value]) => Number(value ?? 0));
    const waits = [
      accountFails >= MAX_PER_ACCOUNT ? accountTtl : 0,
      ipFails >= MAX_PER_IP ? ipTtl : 0,
    ];
    return Math.max(0, ...waits);
  }

  async recordFailure(account: string, ip: string, scope = ''): Promise<void> {
    const multi = this.redis.multi();
    for (const key of this.keys(account, ip, scope)) multi.incr(key).expire(key, WINDOW_S, 'NX');
    await multi.exec();
  }

  async recordSuccess(account: string, ip: string, scope = ''): Promise<void> {
    await this.redis.del(this.keys(account, ip, scope)[0]);
  }

  /** `scope` keeps developer and admin sign-ins apart (`developer:`); admins use none. */
  private keys(account: string, ip: string, scope: string): [string, string] {
    return [`mq:login-fail:${scope}account:${account.toLowerCase()}`, `mq:login-fail:${scope}ip:${ip}`];
  }
}
