import 'server-only';
import type { Database } from 'better-sqlite3';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: string;
  result: string; // "ok" or the error
}

/** Who changed what, when, and how it went: one log for host and cluster changes. */
export class AuditLog {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  record(e: Omit<AuditEntry, 'id' | 'at'>): void {
    this.db.prepare('INSERT INTO audit (at, actor, action, subject, detail, result) VALUES (?, ?, ?, ?, ?, ?)').run(new Date().toISOString(), e.actor, e.action, e.subject, e.detail, e.result);
  }

  list(limit = 500): AuditEntry[] {
    return this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as AuditEntry[];
  }
}
