import 'server-only';
import type { Database } from 'better-sqlite3';
import type { HealthChange } from '@/lib/domain/forwards/health';
import type { AuditRetention } from './audit';

interface Row {
  forward_id: string;
  at: string;
  up: number;
  reason: string | null;
}

const toChange = (r: Row): HealthChange => ({ at: r.at, up: r.up === 1, reason: r.reason });

/**
 * Each forward's changes of health, as the probes saw them: one row per change, not per probe,
 * kept under the audit log's retention (its days, and at most its number of entries).
 */
export class HealthLog {
  private readonly db: Database;
  private readonly retention: AuditRetention;

  constructor(db: Database, retention: AuditRetention) {
    this.db = db;
    this.retention = retention;
  }

  record(forwardId: string, change: HealthChange): void {
    this.db
      .prepare('INSERT INTO health (forward_id, at, up, reason) VALUES (?, ?, ?, ?)')
      .run(forwardId, change.at, change.up ? 1 : 0, change.reason);
  }

  /** Every forward's changes since `from` (ISO), oldest first, each with the last one before `from`. */
  since(from: string): Map<string, HealthChange[]> {
    const rows = this.db
      .prepare(
        `SELECT forward_id, at, up, reason FROM health h
          WHERE at >= ? OR id = (SELECT id FROM health p WHERE p.forward_id = h.forward_id AND p.at < ? ORDER BY at DESC, id DESC LIMIT 1)
          ORDER BY forward_id, at, id`,
      )
      .all(from, from) as Row[];
    const out = new Map<string, HealthChange[]>();
    for (const r of rows) {
      const list = out.get(r.forward_id) ?? [];
      list.push(toChange(r));
      out.set(r.forward_id, list);
    }
    return out;
  }

  /**
   * Drops what is past the retention, by age and by count (but each forward's latest change,
   * which says what it is now), and the changes of forwards that are gone.
   */
  prune(liveIds: readonly string[], now = new Date()): number {
    const cutoff = new Date(now.getTime() - this.retention.days * 86_400_000).toISOString();
    return this.db
      .prepare(
        `DELETE FROM health
          WHERE ((at < ? OR id <= (SELECT MAX(id) FROM health) - ?) AND id NOT IN (SELECT MAX(id) FROM health GROUP BY forward_id))
             OR forward_id NOT IN (SELECT value FROM json_each(?))`,
      )
      .run(cutoff, this.retention.maxEntries, JSON.stringify(liveIds)).changes;
  }
}
