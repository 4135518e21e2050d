import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverServerActions, formActionRequest } from '@/lab/actions.mts';
import { REPO } from '@/lab/paths.mts';
import { startServer, type StartedServer } from '@/lab/server.mts';
import { kubectl } from '@/lab/testing.mts';
import { backToClusterIpArgs } from '@/lab/service-args.mts';

// LABGATE_NODEPORT_RANGE as the real server honours it: the service form's action, called as the
// browser calls it, against a server started with a narrower range than the cluster's.
const password = randomBytes(12).toString('base64url');
let server: StartedServer | null = null;
afterAll(() => server?.stop());

describe('the nodePort range a host sets', () => {
  it('LABGATE_NODEPORT_RANGE=31000-31999: 30500 (inside the cluster default) is refused naming that range; 31500 is set', async () => {
    server = await startServer({ env: { LABGATE_ADMIN_PASSWORD: password, LABGATE_NODEPORT_RANGE: '31000-31999' } });
    const { base } = server;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ password }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const action = discoverServerActions(REPO).find((a) => a.name === 'changeService')!;
    const change = async (nodePort: string) => {
      const resourceVersion = await kubectl(['get', 'service', '-n', 'default', 'redis', '-o', 'jsonpath={.metadata.resourceVersion}']);
      const req = formActionRequest(
        action,
        { namespace: 'default', name: 'redis', type: 'NodePort', port: '6379', nodePort, resourceVersion },
        { cookie, origin: base },
      );
      return (await fetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body: req.body })).text();
    };
    try {
      expect(await change('30500')).toContain("nodePort 30500 is outside the cluster's range 31000-31999.");
      expect(await kubectl(['get', 'service', '-n', 'default', 'redis', '-o', 'jsonpath={.spec.type}'])).toBe('ClusterIP');
      expect(await change('31500')).toContain('"ok":true');
      expect(await kubectl(['get', 'service', '-n', 'default', 'redis', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).toBe('31500');
    } finally {
      await kubectl(backToClusterIpArgs('default', 'redis')).catch(() => undefined);
    }
  });
});
