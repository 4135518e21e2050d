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
    (d) => d.toJS() as { kind: string; rules?: Rule[]; metadata?: { namespace?: string } },
  );

  const used = (namespace?: string) =>
    PERMISSIONS.filter((p) => p.namespace === namespace)
      .flatMap((p) => p.verbs.map((v) => `${p.group}/${p.resource}/${v}`))
      .sort();

  it('grants exactly the permissions labgate uses: no more, no fewer', () => {
    const role = docs.find((d) => d.kind === 'ClusterRole');
    expect(grants(role!.rules!)).toEqual(used());
  });

  it("grants kube-system's one create in a Role there, and nothing else there", () => {
    const role = docs.find((d) => d.kind === 'Role') as { metadata: { namespace: string }; rules: Rule[] } | undefined;
    expect(role?.metadata.namespace).toBe('kube-system');
    expect(grants(role!.rules)).toEqual(used('kube-system'));
    expect(used('kube-system')).toEqual(['/secrets/create']);
  });

  it('has no wildcard and no write beyond patch cluster-wide', () => {
    const all = grants(docs.find((d) => d.kind === 'ClusterRole')!.rules!);
    expect(all.some((g) => g.includes('*'))).toBe(false);
    expect(all.map((g) => g.split('/')[2]).filter((v) => !['get', 'list', 'watch', 'patch'].includes(v!))).toEqual([]);
  });

  it.each([
    { verb: 'patch', p: { group: '' as const, resource: 'services' }, name: 'patch on services' },
    { verb: 'list', p: { group: 'apps' as const, resource: 'deployments' }, name: 'list on deployments.apps' },
  ])('names a permission as "$name"', ({ verb, p, name }) => expect(permissionName(verb, p)).toBe(name));
});
