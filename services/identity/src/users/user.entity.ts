import { Entity, EntityRepositoryType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { UserView } from '@marquee/contracts';
import { UserRepository } from './user.repository';

@Entity({ tableName: 'users', repository: () => UserRepository })
export class User {
  [EntityRepositoryType]?: UserRepository;
  [OptionalProps]?: 'verified' | 'verifiedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  /** As typed (lower-cased): where mail goes. */
  @Property({ type: 'text' })
  email!: string;

  /** The mailbox it reaches (see email-address.ts): unique, so one person gets one account. */
  @Property({ type: 'text' })
  emailCanonical!: string;

  @Property({ type: 'text', hidden: true })
  hashedPassword!: string;

  @Property({ type: 'boolean' })
  verified = false;

  @Property({ type: 'timestamptz', nullable: true })
  verifiedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  toView(): UserView {
    return { id: this.id, name: this.name, email: this.email, verified: this.verified, created_at: this.createdAt.toISOString() };
  }
}
