import 'server-only';
import type { Database } from 'better-sqlite3';

export interface JournalEntry<S = unknown> {
  id: string;
  operation: string;
  state: 'running' | 'done' | 'undone' | 'failed';
  steps: S;
  createdAt: string;
  updatedAt: string;
}

/** Multi-step operations (Expose), so that a half-done one can be finished or undone after a crash. */
export class Journal {
  private readonly db: Database;
  private readonly retentionDays: number;

  constructor(db: Database, retentionDays: number) {
    this.db = db;
    this.retentionDays = retentionDays;
    this.prune();
  }

  /** Finished entries (undone, failed) older than the retention go; running and done ones stay, since recovery and Undo need them. */
  prune(now = new Date()): number {
    const cutoff = new Date(now.getTime() - this.retentionDays * 86_400_000).toISOString();
    return this.db.prepare("DELETE FROM journal WHERE state IN ('undone', 'failed') AND updated_at < ?").run(cutoff).changes;
  }

  put(e: Omit<JournalEntry, 'createdAt' | 'updatedAt'>): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO journal (id, operation, state, steps, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, steps = excluded.steps, updated_at = excluded.updated_at`,
      )
      .run(e.id, e.operation, e.state, JSON.stringify(e.steps), now, now);
    if (e.state === 'undone' || e.state === 'failed') this.prune();
  }

  list(operation?: string): JournalEntry[] {
    const rows = this.db
      .prepare(
        `SELECT id, operation, state, steps, created_at AS createdAt, updated_at AS updatedAt FROM journal ${operation ? 'WHERE operation = ?' : ''} ORDER BY created_at DESC`,
      )
      .all(...(operation ? [operation] : [])) as (Omit<JournalEntry, 'steps'> & { steps: string })[];
    return rows.map((r) => ({ ...r, steps: JSON.parse(r.steps) as unknown }));
  }
}
