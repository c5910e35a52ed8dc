import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { lastValueFrom } from 'rxjs';
import { DomainError, InjectRedis, MARQUEE_BUS } from '@marquee/common';
import {
  IDENTITY_EVENTS, MAIL_JOBS, MAIL_QUEUE, SignupRequest, SignupResult, UserVerifiedEvent, VerificationMailJob, VerifyResult,
} from '@marquee/contracts';
import { hashPassword } from '../admins/passwords';
import { IdentityEnv } from '../config/identity.env';
import { SessionsService } from '../sessions/sessions.service';
import { canonicalEmail, domainRefusal } from './email-address';
import { EmailVerification } from './email-verification.entity';
import { MAIL_JOB_OPTIONS } from './mail-jobs';
import { assertAcceptablePassword } from './passwords-policy';
import { hashToken, newSecretToken } from './secret-token';
import { User } from './user.entity';

/** A resend is honoured at most this often per address, so nobody can flood someone's inbox. */
const RESEND_INTERVAL_S = 60;

/** Sign-up and e-mail verification of developers. */
@Injectable()
export class SignupService {
  constructor(
    private readonly em: EntityManager,
    private readonly env: IdentityEnv,
    @InjectQueue(MAIL_QUEUE) private readonly mail: Queue,
    @InjectRedis() private readonly redis: Redis,
    @Inject(MARQUEE_BUS) private readonly bus: ClientProxy,
    private readonly sessions: SessionsService,
  ) {}

  async signup(input: SignupRequest): Promise<SignupResult> {
    const email = input.email.trim().toLowerCase();
    const refusal = domainRefusal(email, this.env.ALLOWED_EMAIL_DOMAINS);
    if (refusal?.rule === 'DISPOSABLE_DOMAIN') {
      throw new DomainError('IDENTITY.DISPOSABLE_DOMAIN', 400, `${refusal.domain} is a disposable e-mail service; sign up with a permanent address.`);
    }
    if (refusal) {
      throw new DomainError('IDENTITY.DOMAIN_NOT_ALLOWED', 400, `${refusal.domain} is not accepted; sign up with an address at ${this.env.ALLOWED_EMAIL_DOMAINS.join(', ')}.`);
    }
    assertAcceptablePassword(input.password);
    const hashedPassword = await hashPassword(input.password);
    let issued: { user: User; token: string; verification: EmailVerification };
    try {
      issued = await this.em.transactional(async (em) => {
        const user = em.create(User, { name: input.name.trim(), email, emailCanonical: canonicalEmail(email), hashedPassword });
        await em.flush();
        return { user, ...(await this.issueVerification(em, user)) };
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new DomainError('IDENTITY.EMAIL_TAKEN', 409, 'An account with this e-mail address already exists; sign in instead.');
      }
      throw error;
    }
    await this.sendVerification(issued.user, issued.token, issued.verification);
    return { id: issued.user.id, email: issued.user.email, verified: false };
  }

  /** Marks the user verified once; emits `identity.user.verified` with a ticket for the first key. */
  async verify(token: string): Promise<VerifyResult> {
    const verification = await this.em.getRepository(EmailVerification).findByTokenHash(hashToken(token));
    if (!verification) return { ok: false, code: 'UNKNOWN', email: null };
    const email = verification.user.email;
    if (verification.usedAt || verification.revokedAt) return { ok: false, code: 'USED', email };
    if (verification.expiresAt.getTime() <= Date.now()) return { ok: false, code: 'EXPIRED', email };
    const spent = await this.em.transactional((em) => em.getRepository(EmailVerification).spend(verification.id, verification.user.id));
    if (!spent) return { ok: false, code: 'USED', email };
    const user = await this.em.refreshOrFail(verification.user);
    const event: UserVerifiedEvent = { userId: user.id, email: user.email, name: user.name, ticket: newSecretToken() };
    await lastValueFrom(this.bus.emit(IDENTITY_EVENTS.userVerified, event), { defaultValue: undefined });
    // Following the link from the mail signs the developer in: it proves the same thing a password would.
    const session = await this.sessions.start(user);
    return { ok: true, user: user.toView(), ticket: event.ticket, session };
  }

  /** Sends a fresh link (the older ones stop working) when the address belongs to an unverified user; silent otherwise. */
  async resend(email: string): Promise<void> {
    const canonical = canonicalEmail(email);
    const user = await this.em.getRepository(User).findByCanonical(canonical);
    if (!user || user.verified) return;
    const allowed = await this.redis.set(`mq:resend:${canonical}`, '1', 'EX', RESEND_INTERVAL_S, 'NX');
    if (!allowed) return;
    const issued = await this.em.transactional((em) => this.issueVerification(em, em.merge(user)));
    await this.sendVerification(user, issued.token, issued.verification);
  }

  private async issueVerification(em: EntityManager, user: User): Promise<{ token: string; verification: EmailVerification }> {
    await em.getRepository(EmailVerification).revokeOpen(user.id);
    const token = newSecretToken();
    const verification = em.create(EmailVerification, {
      user, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + this.env.VERIFICATION_TTL_H * 3_600_000),
    });
    await em.flush();
    return { token, verification };
  }

  private async sendVerification(user: User, token: string, verification: EmailVerification): Promise<void> {
    const job: VerificationMailJob = {
      to: user.email,
      name: user.name,
      link: `${this.env.PUBLIC_URL.replace(/\/+$/, '')}/auth/verify?token=${token}`,
      expiresAt: verification.expiresAt.toISOString(),
    };
    // One job per verification row: a retried enqueue cannot send the same link twice.
    await this.mail.add(MAIL_JOBS.verification, job, { ...MAIL_JOB_OPTIONS, jobId: `verification-${verification.id}` });
  }
}
