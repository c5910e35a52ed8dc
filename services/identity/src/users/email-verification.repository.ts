import { EntityRepository } from '@mikro-orm/postgresql';
import { runSql } from '@marquee/database';
import type { EmailVerification } from './email-verification.entity';

export class EmailVerificationRepository extends EntityRepository<EmailVerification> {
  findByTokenHash(tokenHash: string): Promise<EmailVerification | null> {
    return this.findOne({ tokenHash }, { populate: ['user'] });
  }

  /** Only the newest link works: every link of the user not yet used is revoked. */
  async revokeOpen(userId: string): Promise<void> {
    await runSql(this.getEntityManager(), 'update email_verifications set revoked_at = now() where user_id = ? and used_at is null and revoked_at is null', [userId]);
  }

  /**
   * Spends the link and marks its user verified, in the caller's transaction. One conditional
   * update decides: of two clicks at once, exactly one gets true.
   */
  async spend(verificationId: string, userId: string): Promise<boolean> {
    const rows = await runSql<{ id: string }[]>(
      this.getEntityManager(), 'update email_verifications set used_at = now() where id = ? and used_at is null and revoked_at is null returning id', [verificationId],
    );
    if (rows.length === 0) return false;
    await runSql(this.getEntityManager(), 'update users set verified = true, verified_at = coalesce(verified_at, now()) where id = ?', [userId]);
    return true;
  }
}
