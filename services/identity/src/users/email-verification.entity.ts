import { Entity, EntityRepositoryType, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { EmailVerificationRepository } from './email-verification.repository';
import { User } from './user.entity';

/** A verification link sent by mail; only the SHA-256 of its token is stored. */
@Entity({ tableName: 'email_verifications', repository: () => EmailVerificationRepository })
export class EmailVerification {
  [EntityRepositoryType]?: EmailVerificationRepository;
  [OptionalProps]?: 'usedAt' | 'revokedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne(() => User, { fieldName: 'user_id' })
  user!: User;

  @Property({ type: 'character(64)', hidden: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  /** Set when a newer link was sent: only the latest link works. */
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
