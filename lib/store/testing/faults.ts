import Database from 'better-sqlite3';

/**
 * A store whose writes fail on purpose, as a full disk makes them: armed at step N, the Nth write
 * statement from then on throws SQLite's own SQLITE_FULL — once (a passing fault) or, sticky, with
 * every write after it (a disk that stays full). Reads always work, as they do on a full disk.
 */
export class StoreFaults {
  writes = 0; // write statements run since the last arm (or since the start)
  private failAt: number | null = null;
  private sticky = false;

  arm(step: number, sticky: boolean): void {
    this.writes = 0;
    this.failAt = step;
    this.sticky = sticky;
  }

  /** No more faults; the count starts again (to measure how many writes an operation makes). */
  disarm(): void {
    this.writes = 0;
    this.failAt = null;
  }

  private step(): void {
    this.writes++;
    if (this.failAt === null) return;
    if (this.writes === this.failAt || (this.sticky && this.writes > this.failAt))
      throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
  }

  /** The same connection, with every write statement (and exec) going through the switch. */
  wrap(db: Database.Database): Database.Database {
    const step = () => this.step();
    // Native methods want the real object as `this`: everything else is passed through bound to it.
    const through = (target: object, key: string | symbol) => {
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    };
    const statement = (stmt: Database.Statement) =>
      stmt.reader
        ? stmt
        : new Proxy(stmt, {
            get: (target, key) => (key === 'run' ? (...args: unknown[]) => (step(), target.run(...args)) : through(target, key)),
          });
    return new Proxy(db, {
      get: (target, key) => {
        if (key === 'prepare') return (sql: string) => statement(target.prepare(sql));
        if (key === 'exec') return (sql: string) => (step(), target.exec(sql));
        return through(target, key);
      },
    });
  }
}
