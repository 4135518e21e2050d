import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { PERMISSIONS, permissionName } from './permissions';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const grants = (rules: Rule[]) =>
  rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}/${v}`)))).sort();

describe('deploy/rbac.yaml', () => {
  const docs = parseAllDocuments(fs.readFileSync(path.join(import.meta.dirname, '../../deploy/rbac.yaml'), 'utf8')).map(
    (d) => d.toJS() as { kind: string; rules?: Rule[] },
  );

  it('grants exactly the permissions labgate uses: no more, no fewer', () => {
    const role = docs.find((d) => d.kind === 'ClusterRole');
    const used = PERMISSIONS.flatMap((p) => p.verbs.map((v) => `${p.group}/${p.resource}/${v}`)).sort();
    expect(grants(role!.rules!)).toEqual(used);
  });

  it('has no wildcard and no write beyond patch', () => {
    const all = grants(docs.find((d) => d.kind === 'ClusterRole')!.rules!);
    expect(all.some((g) => g.includes('*'))).toBe(false);
    expect(all.map((g) => g.split('/')[2]).filter((v) => !['get', 'list', 'watch', 'patch'].includes(v!))).toEqual([]);
  });

  it.each([
    { verb: 'patch', p: { group: '' as const, resource: 'services' }, name: 'patch on services' },
    { verb: 'list', p: { group: 'apps' as const, resource: 'deployments' }, name: 'list on deployments.apps' },
  ])('names a permission as "$name"', ({ verb, p, name }) => expect(permissionName(verb, p)).toBe(name));
});
