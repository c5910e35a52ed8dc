import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectRedis } from '@marquee/common';

const WINDOW_S = 15 * 60;
const MAX_PER_ACCOUNT_AND_IP = 5;
const MAX_PER_IP = 20;

/** Keeps the counters of admin and developer sign-ins apart. */
export interface ThrottleScope {
  prefix: string;
}

export const ADMIN_LOGINS: ThrottleScope = { prefix: '' };
export const DEVELOPER_LOGINS: ThrottleScope = { prefix: 'developer:' };

/**
 * Counts failed logins per account and client IP, and per IP across accounts, in a 15-minute
 * window. Past a limit, logins are refused with a retry time until the window passes: slows
 * guessing, never locks anyone out for good. An account's failures are never counted across
 * addresses: then anyone who knows an address or username could lock its owner out from
 * anywhere by guessing wrong five times.
 */
@Injectable()
export class LoginThrottle {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  /** Seconds to wait, or 0 when a try is allowed. */
  async retryAfter(account: string, ip: string, scope: ThrottleScope): Promise<number> {
    const [accountKey, ipKey] = this.keys(account, ip, scope);
    const results = await this.redis.multi().get(accountKey).ttl(accountKey).get(ipKey).ttl(ipKey).exec();
    const [accountFails, accountTtl, ipFails, ipTtl] = (results ?? []).map(([, value]) => Number(value ?? 0));
    const waits = [
      accountFails >= MAX_PER_ACCOUNT_AND_IP ? accountTtl : 0,
      ipFails >= MAX_PER_IP ? ipTtl : 0,
    ];
    return Math.max(0, ...waits);
  }

  async recordFailure(account: string, ip: string, scope: ThrottleScope): Promise<void> {
    const multi = this.redis.multi();
    for (const key of this.keys(account, ip, scope)) multi.incr(key).expire(key, WINDOW_S, 'NX');
    await multi.exec();
  }

  /** Clears the account's counter only: a valid login does not excuse an address's other guesses. */
  async recordSuccess(account: string, ip: string, scope: ThrottleScope): Promise<void> {
    await this.redis.del(this.keys(account, ip, scope)[0]);
  }

  private keys(account: string, ip: string, { prefix }: ThrottleScope): [string, string] {
    return [`mq:login-fail:${prefix}account:${account.toLowerCase()}:ip:${ip}`, `mq:login-fail:${prefix}ip:${ip}`];
  }
}
