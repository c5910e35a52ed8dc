import { EntityRepository } from '@mikro-orm/postgresql';
import type { ImportMode } from '@marquee/contracts';
import type { Import } from './import.entity';

export interface NewImport {
  filePath: string;
  fileName: string;
  mode: ImportMode;
  createdBy: string;
  bytesTotal: number;
}

/**
 * Status and progress writes are single UPDATE statements rather than flushed entities: the
 * worker writes them while the gateway reads the same row, and an attempt must never resurrect
 * counts from an earlier one.
 */
export class ImportRepository extends EntityRepository<Import> {
  async createQueued(input: NewImport): Promise<Import> {
    const row = this.create({ ...input, status: 'queued' });
    await this.getEntityManager().persistAndFlush(row);
    return row;
  }

  /** A fresh attempt: everything an earlier attempt counted is forgotten. */
  async start(id: string, bytesTotal: number): Promise<void> {
    await this.execute(
      `update imports set status = 'running', attempts = attempts + 1, started_at = now(), finished_at = null,
         failure = null, bytes_total = ?, bytes_done = 0, rows_done = 0, inserted = 0, updated = 0, unchanged = 0,
         duplicates = 0, rejected = 0, deleted = 0, errors = '[]', unknown_columns = '{}'
       where id = ?`,
      [bytesTotal, id],
    );
  }

  async progress(id: string, bytesDone: number, rowsDone: number, rejected: number): Promise<void> {
    await this.execute(`update imports set bytes_done = ?, rows_done = ?, rejected = ? where id = ? and status = 'running'`, [bytesDone, rowsDone, rejected, id]);
  }

  /** A transient failure that BullMQ will retry. */
  async retrying(id: string, failure: string): Promise<void> {
    await this.execute(`update imports set status = 'queued', failure = ? where id = ? and status <> 'completed'`, [failure, id]);
  }

  async fail(id: string, failure: string): Promise<void> {
    await this.execute(`update imports set status = 'failed', failure = ?, finished_at = now() where id = ? and status <> 'completed'`, [failure, id]);
  }

  private async execute(sql: string, params: unknown[]): Promise<void> {
    await this.getEntityManager().getConnection().execute(sql, params, 'run');
  }
}
