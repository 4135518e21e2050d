import 'server-only';
import type { Database } from 'better-sqlite3';
import type { LaunchTemplate } from '@/lib/domain/cluster/templates';
import type { SaveTemplate } from '@/lib/schemas/instances';

interface Row {
  name: string;
  image: string;
  cpus: number;
  memory: string;
  disk: string;
  cloud_init: string;
}

/** The person's launch templates, in labgate's store. */
export class TemplateStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  list(): LaunchTemplate[] {
    const rows = this.db.prepare('SELECT name, image, cpus, memory, disk, cloud_init FROM launch_templates').all() as Row[];
    return rows.map((r) => ({
      name: r.name,
      builtIn: false,
      description: `${r.image}, ${r.cpus} CPU, ${r.memory}, ${r.disk}${r.cloud_init ? ', with cloud-init' : ''}`,
      image: r.image,
      cpus: r.cpus,
      memory: r.memory,
      disk: r.disk,
      cloudInit: r.cloud_init,
    }));
  }

  /** Saves a template, replacing one of the same name. */
  save(t: SaveTemplate): void {
    this.db
      .prepare(
        `INSERT INTO launch_templates (name, image, cpus, memory, disk, cloud_init, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET image = excluded.image, cpus = excluded.cpus, memory = excluded.memory,
           disk = excluded.disk, cloud_init = excluded.cloud_init`,
      )
      .run(t.template, t.image, t.cpus, t.memory, t.disk, t.cloudInit, new Date().toISOString());
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM launch_templates WHERE name = ?').run(name).changes > 0;
  }
}
