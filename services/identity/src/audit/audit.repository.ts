import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { escapeLike } from '@marquee/catalog';
import type { AuditEntryView, AuditSort, ListAuditRequest, RecordAuditRequest } from '@marquee/contracts';

interface AuditRow extends Omit<AuditEntryView, 'created_at'> {
  created_at: Date;
}

const COLUMNS = 'id, actor_id, actor_name, action, target_type, target_id, detail, ip, created_at';

function orderBy(sort: AuditSort): string {
  const desc = sort.startsWith('-');
  const column = desc ? sort.slice(1) : sort;
  return `${column} ${desc ? 'desc' : 'asc'}, id ${desc ? 'desc' : 'asc'}`;
}

/** The audit trail is append-only: rows are inserted once (on their id) and never changed. */
@Injectable()
export class AuditRepository {
  constructor(private readonly em: EntityManager) {}

  async record(entry: RecordAuditRequest): Promise<void> {
    await this.em.fork().getConnection().execute(
      `insert into admin_audit (id, actor_id, actor_name, action, target_type, target_id, detail, ip)
       values (?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (id) do nothing`,
      [entry.id, entry.actorId, entry.actorName, entry.action, entry.targetType, entry.targetId, JSON.stringify(entry.detail), entry.ip],
      'run',
    );
  }

  async list(query: ListAuditRequest): Promise<[AuditEntryView[], number]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.q) {
      const like = `%${escapeLike(query.q)}%`;
      where.push(`(actor_name ilike ? escape '\\' or action ilike ? escape '\\' or target_id ilike ? escape '\\' or detail::text ilike ? escape '\\')`);
      params.push(like, like, like, like);
    }
    if (query.action) { where.push('action = ?'); params.push(query.action); }
    if (query.targetId) { where.push('target_id = ?'); params.push(query.targetId); }
    if (query.from) { where.push('created_at >= ?'); params.push(query.from); }
    if (query.to) { where.push('created_at < ?'); params.push(query.to); }
    const filter = where.length ? `where ${where.join(' and ')}` : '';
    const connection = this.em.fork().getConnection();
    const [rows, [{ n }]] = await Promise.all([
      connection.execute<AuditRow[]>(`select ${COLUMNS} from admin_audit ${filter} order by ${orderBy(query.sort)} limit ? offset ?`,
        [...params, query.limit, (query.page - 1) * query.limit] as never[]),
      connection.execute<{ n: number }[]>(`select count(*)::int as n from admin_audit ${filter}`, params as never[]),
    ]);
    return [rows.map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() })), n];
  }
}
