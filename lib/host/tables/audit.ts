import 'server-only';
import type { Database } from 'better-sqlite3';

import type { AuditEntry } from '@/lib/wire';

export type { AuditEntry };

export interface AuditRetention {
  days: number; // entries older than this go
  maxEntries: number; // and the log never holds more than this many
}

/** Who changed what, when, and how it went: one log for host and cluster changes, logins included. */
export class AuditLog {
  private readonly db: Database;
  private readonly retention: AuditRetention;
  private sincePrune = 0;

  constructor(db: Database, retention: AuditRetention) {
    this.db = db;
    this.retention = retention;
    this.prune();
  }

  record(e: Omit<AuditEntry, 'id' | 'at'>, now = new Date()): void {
    this.db
      .prepare('INSERT INTO audit (at, actor, action, subject, detail, result) VALUES (?, ?, ?, ?, ?, ?)')
      .run(now.toISOString(), e.actor, e.action, e.subject, e.detail, e.result);
    if (++this.sincePrune >= 100) this.prune(now);
  }

  /** Newest first, a page at a time: `before` is the id of the oldest entry already shown. */
  list({ limit = 500, before }: { limit?: number; before?: number } = {}): AuditEntry[] {
    return this.db
      .prepare(`SELECT * FROM audit ${before ? 'WHERE id < ?' : ''} ORDER BY id DESC LIMIT ?`)
      .all(...(before ? [before] : []), limit) as AuditEntry[];
  }

  /** Drops what is past the retention, by age and by count. Returns how many entries went. */
  prune(now = new Date()): number {
    this.sincePrune = 0;
    const cutoff = new Date(now.getTime() - this.retention.days * 86_400_000).toISOString();
    const old = this.db.prepare('DELETE FROM audit WHERE at < ?').run(cutoff).changes;
    const over = this.db.prepare('DELETE FROM audit WHERE id <= (SELECT MAX(id) FROM audit) - ?').run(this.retention.maxEntries).changes;
    return old + over;
  }
}
