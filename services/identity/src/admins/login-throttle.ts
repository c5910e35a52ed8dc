import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectRedis } from '@marquee/common';

const WINDOW_S = 15 * 60;
const MAX_PER_ACCOUNT = 5;
const MAX_PER_IP = 20;

/** Whose failures are counted together, besides every failure from one IP. */
export interface ThrottleScope {
  /** Keeps the counters of admin and developer sign-ins apart. */
  prefix: string;
  /**
   * Count an account's failures per client IP. Admins: otherwise anyone who knows the username
   * could lock the only admin out from anywhere; guessing from one address is still slowed.
   */
  accountPerIp: boolean;
}

export const ADMIN_LOGINS: ThrottleScope = { prefix: '', accountPerIp: true };
// Developers keep one counter per account across addresses (test/developer-auth.e2e-spec.ts).
export const DEVELOPER_LOGINS: ThrottleScope = { prefix: 'developer:', accountPerIp: false };

/**
 * Counts failed logins per account (or account and IP) and per IP in a 15-minute window. Past a
 * limit, logins are refused with a retry time until the window passes: slows guessing, never
 * locks anyone out for good.
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
      accountFails >= MAX_PER_ACCOUNT ? accountTtl : 0,
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

  private keys(account: string, ip: string, { prefix, accountPerIp }: ThrottleScope): [string, string] {
    const accountKey = `mq:login-fail:${prefix}account:${account.toLowerCase()}`;
    return [accountPerIp ? `${accountKey}:ip:${ip}` : accountKey, `mq:login-fail:${prefix}ip:${ip}`];
  }
}
