import { EntityRepository } from '@mikro-orm/postgresql';
import { escapeLike } from '@marquee/catalog';
import type { ImportMode, ImportRowErrorView, ImportSort, ListImportsRequest } from '@marquee/contracts';
import type { Import } from './import.entity';

/** An imports row as PostgreSQL returns it. */
export interface ImportRecord {
  id: string; file_name: string; mode: ImportMode; status: Import['status']; created_by: string;
  created_at: Date; started_at: Date | null; finished_at: Date | null; attempts: number; failure: string | null;
  bytes_total: string; bytes_done: string; rows_done: number; inserted: number; updated: number; unchanged: number;
  duplicates: number; rejected: number; deleted: number; unknown_columns: string[]; errors?: ImportRowErrorView[];
}

const LIST_COLUMNS = `id, file_name, mode, status, created_by, created_at, started_at, finished_at, attempts, failure,
  bytes_total, bytes_done, rows_done, inserted, updated, unchanged, duplicates, rejected, deleted, unknown_columns`;

const SORT_COLUMN: Record<string, string> = {
  created_at: 'created_at', file_name: 'file_name', mode: 'mode', status: 'status', rows: 'rows_done', rejected: 'rejected', created_by: 'created_by',
};

function orderBy(sort: ImportSort): string {
  const desc = sort.startsWith('-');
  const column = SORT_COLUMN[desc ? sort.slice(1) : sort];
  return `${column} ${desc ? 'desc' : 'asc'}, id ${desc ? 'desc' : 'asc'}`;
}

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

  async list(query: ListImportsRequest): Promise<[ImportRecord[], number]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.q) {
      where.push(`(file_name ilike ? escape '\\' or created_by ilike ? escape '\\')`);
      const like = `%${escapeLike(query.q)}%`;
      params.push(like, like);
    }
    if (query.status) { where.push('status = ?'); params.push(query.status); }
    if (query.mode) { where.push('mode = ?'); params.push(query.mode); }
    const filter = where.length ? `where ${where.join(' and ')}` : '';
    const connection = this.getEntityManager().getConnection();
    const [rows, [{ n }]] = await Promise.all([
      connection.execute<ImportRecord[]>(
        `select ${LIST_COLUMNS} from imports ${filter} order by ${orderBy(query.sort)} limit ? offset ?`,
        [...params, query.limit, (query.page - 1) * query.limit] as never[]),
      connection.execute<{ n: number }[]>(`select count(*)::int as n from imports ${filter}`, params as never[]),
    ]);
    return [rows, n];
  }

  async findRecord(id: string): Promise<ImportRecord | undefined> {
    const [row] = await this.getEntityManager().getConnection().execute<ImportRecord[]>(
      `select ${LIST_COLUMNS}, errors from imports where id = ?`, [id]);
    return row;
  }

  /** Rejected rows after `afterLine`, in line order: the report is read page by page. */
  rejections(id: string, afterLine: number, limit: number): Promise<ImportRowErrorView[]> {
    return this.getEntityManager().getConnection().execute<ImportRowErrorView[]>(
      'select line, reason from import_rejections where import_id = ? and line > ? order by line limit ?', [id, afterLine, limit]);
  }

  private async execute(sql: string, params: unknown[]): Promise<void> {
    await this.getEntityManager().getConnection().execute(sql, params, 'run');
  }
}
