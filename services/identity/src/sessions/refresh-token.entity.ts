import { Entity, EntityRepositoryType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { RefreshTokenRepository } from './refresh-token.repository';

/**
 * One refresh token of a rotation family (one sign-in). Using it spends it and issues the next
 * one in the same family; presenting a spent one again revokes the whole family.
 */
@Entity({ tableName: 'refresh_tokens', repository: () => RefreshTokenRepository })
export class RefreshToken {
  [EntityRepositoryType]?: RefreshTokenRepository;
  [OptionalProps]?: 'usedAt' | 'revokedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'uuid' })
  familyId!: string;

  @Property({ type: 'character(64)', hidden: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
