import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'admins' })
export class Admin {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  username!: string;

  @Property({ type: 'text', hidden: true })
  hashedPassword!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
