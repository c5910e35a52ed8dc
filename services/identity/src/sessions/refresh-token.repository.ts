import { EntityRepository } from '@mikro-orm/postgresql';
import { runSql } from '@marquee/database';
import type { RefreshToken } from './refresh-token.entity';

export class RefreshTokenRepository extends EntityRepository<RefreshToken> {
  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.findOne({ tokenHash });
  }

  /** Spends a live token in one conditional update: of two uses at once, exactly one succeeds. */
  async spend(tokenHash: string): Promise<{ userId: string; familyId: string } | null> {
    const rows = await runSql<{ user_id: string; family_id: string }[]>(
      this.getEntityManager(), `update refresh_tokens set used_at = now()
       where token_hash = ? and used_at is null and revoked_at is null and expires_at > now()
       returning user_id, family_id`,
      [tokenHash],
    );
    return rows.length ? { userId: rows[0].user_id, familyId: rows[0].family_id } : null;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await runSql(this.getEntityManager(), 'update refresh_tokens set revoked_at = now() where family_id = ? and revoked_at is null', [familyId]);
  }
}
