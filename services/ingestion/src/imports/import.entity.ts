import { BigIntType, Entity, EntityRepositoryType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ImportMode, ImportStatus } from '@marquee/contracts';
import { ImportRepository } from './import.repository';

/** A rejected CSV row: `line` is the physical line in the file, the header being line 1. */
export interface ImportRowError {
  line: number;
  reason: string;
}

/** One CSV import: what was asked, how far it got, and what it did to the catalogue. */
@Entity({ tableName: 'imports', repository: () => ImportRepository })
export class Import {
  [EntityRepositoryType]?: ImportRepository;
  [OptionalProps]?: 'status' | 'bytesTotal' | 'bytesDone' | 'rowsDone' | 'inserted' | 'updated' | 'unchanged'
    | 'duplicates' | 'rejected' | 'deleted' | 'errors' | 'unknownColumns' | 'failure' | 'attempts' | 'createdAt'
    | 'startedAt' | 'finishedAt';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  fileName!: string;

  @Property({ type: 'text' })
  filePath!: string;

  @Property({ type: 'text' })
  mode!: ImportMode;

  @Property({ type: 'text' })
  status: ImportStatus = 'queued';

  @Property({ type: new BigIntType('number') })
  bytesTotal = 0;

  @Property({ type: new BigIntType('number') })
  bytesDone = 0;

  @Property({ type: 'integer' })
  rowsDone = 0;

  @Property({ type: 'integer' })
  inserted = 0;

  @Property({ type: 'integer' })
  updated = 0;

  @Property({ type: 'integer' })
  unchanged = 0;

  @Property({ type: 'integer' })
  duplicates = 0;

  @Property({ type: 'integer' })
  rejected = 0;

  @Property({ type: 'integer' })
  deleted = 0;

  @Property({ type: 'json' })
  errors: ImportRowError[] = [];

  @Property({ type: 'text[]' })
  unknownColumns: string[] = [];

  @Property({ type: 'text', nullable: true })
  failure: string | null = null;

  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;
}
