import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metrics } from '@/lib/observe/metrics';

// The Grafana dashboard may only ask for series labgate exports: a renamed metric fails here.
const dashboard = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'grafana-dashboard.json'), 'utf8')) as {
  uid: string;
  panels: { title: string; targets: { expr: string }[] }[];
  templating: { list: { query: unknown }[] };
};

async function exported(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const m of await metrics().registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`);
  }
  return names;
}

const queried = (expr: string) => [...expr.matchAll(/\b(labgate_[a-z_]+)\b/g)].map((m) => m[1]!);

describe('deploy/grafana-dashboard.json', () => {
  it('queries only metrics labgate exports, in every panel and variable', async () => {
    const names = await exported();
    const exprs = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      ...dashboard.templating.list.map((v) => String(v.query)),
    ];
    const used = exprs.flatMap(queried);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((n) => !names.has(n))).toEqual([]);
  });

  it('shows each metric labgate defines for itself', async () => {
    const own = [...(await exported())].filter(
      (n) => !n.startsWith('labgate_process_') && !n.startsWith('labgate_nodejs_') && !/_(bucket|sum|count)$/.test(n),
    );
    const used = new Set(
      dashboard.panels.flatMap((p) => p.targets.flatMap((t) => queried(t.expr))).map((n) => n.replace(/_(bucket|sum|count)$/, '')),
    );
    expect(own.filter((n) => !used.has(n))).toEqual([]);
  });
});
