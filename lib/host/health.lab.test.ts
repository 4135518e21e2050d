import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { vmBackend } from '@/lab/backend.mts';
import { labPrefix } from '@/lab/testing.mts';
import { vmByName } from '@/lab/topology.mts';
import { metrics } from '@/lib/observe/metrics';
import { hostParts } from './deps';
import { HealthMonitor, type HealthEvent } from './health';
import { HealthLog } from './tables/health';
import { labHost } from './testing/lab-host';
import { liveHostDeps } from './wiring';
import { env } from '@/lib/env';
import { db } from '@/lib/store/db';

// Is it up, probed from the host through the real kernel's rules: a backend in the ops VM stopped
// and started again, the changes read back from the store and posted to a webhook.
const lab = labHost();
const OPS = vmByName('ops')!.address;
const BACKEND_PORT = 9099;

let stop: (() => Promise<void>) | null = null;
/** The plain HTTP backend in the ops VM, answering `status`: up once it listens. */
async function startBackend(status = 200): Promise<void> {
  stop = await vmBackend(labPrefix(), 'ops', BACKEND_PORT, status);
}
const stopBackend = async () => void (await stop?.());
afterAll(stopBackend);

/** A webhook receiver on the host's loopback: what it was posted. */
async function webhookReceiver(): Promise<{ url: string; posted: HealthEvent[]; close: () => void }> {
  const posted: HealthEvent[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => (posted.push(JSON.parse(body) as HealthEvent), res.writeHead(204).end()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, posted, close: () => server.close() };
}

describe("a forward's health", () => {
  it('is down with the reason while its backend is stopped, up again when it is back, with the history kept in the store and posted', async () => {
    await startBackend();
    const created = await lab.host.create(
      { name: 'Backend', listenPort: 8098, target: { kind: 'instance', name: 'ops', port: BACKEND_PORT } },
      'test',
    );
    expect(created.ok).toBe(true);
    const id = created.ok ? created.data.id : '';
    const health = () => lab.host.list().find((f) => f.id === id)!.health; // as pages and the API get it

    await lab.host.health.round();
    expect(health()).toMatchObject({ state: 'up', reason: null, uptimeDay: 1 });
    expect(lab.host.health.health(id)!.responseMs).toBeGreaterThanOrEqual(0);

    await stopBackend();
    await lab.host.health.round();
    expect(health()).toMatchObject({ state: 'down', reason: `connection refused by ${OPS}:${BACKEND_PORT}`, responseMs: null });

    // A backend that answers with a server error is not up either.
    await startBackend(503);
    await lab.host.health.round();
    expect(health()).toMatchObject({ state: 'down', reason: `HTTP 503 from ${OPS}:${BACKEND_PORT}` });
    await stopBackend();

    await startBackend();
    await lab.host.health.round();
    const history = [
      [true, null],
      [false, `HTTP 503 from ${OPS}:${BACKEND_PORT}`],
      [false, `connection refused by ${OPS}:${BACKEND_PORT}`],
      [true, null],
    ];
    const h = lab.host.health.health(id)!;
    expect(h.state).toBe('up');
    expect(h.history.map((c) => [c.up, c.reason])).toEqual(history);
    expect(h.uptimeDay).toBeGreaterThan(0);
    expect(h.uptimeDay).toBeLessThan(1);

    // Probes are the host's own connections: the forward's traffic (the LAN's) does not count them.
    await lab.host.status();
    expect(lab.host.list().find((f) => f.id === id)!.traffic!.connections).toBe(0);
    const scraped = await metrics().registry.metrics();
    expect(scraped).toContain('labgate_forward_up{forward="Backend",port="8098"} 1');
    expect(scraped).toMatch(/labgate_forward_uptime_day_ratio\{forward="Backend",port="8098"\} 0\.\d+/);

    // A restarted host role starts from the store's history, and posts each change of state to the webhook.
    const hook = await webhookReceiver();
    const restarted = new HealthMonitor(hostParts({ ...(await liveHostDeps()), settings: { ...env(), healthWebhook: hook.url } }));
    await restarted.round();
    expect(restarted.health(id)!.history.map((c) => [c.up, c.reason])).toEqual(history);
    await stopBackend();
    await restarted.round();
    await startBackend();
    await restarted.round();
    await expect.poll(() => hook.posted.map((p) => p.state)).toEqual(['down', 'up']);
    expect(hook.posted[0]).toMatchObject({
      source: 'labgate',
      forward: { id, name: 'Backend', listenPort: 8098 },
      reason: `connection refused by ${OPS}:${BACKEND_PORT}`,
    });
    hook.close();
    const stored = new HealthLog(db(), { days: 30, maxEntries: 1_000 }).since(new Date(Date.now() - 3_600_000).toISOString()).get(id)!;
    expect(stored.map((c) => c.up)).toEqual([true, false, false, true, false, true]);
  });

  it('a forward without a target is down with the reason it has none; a UDP forward is not probed', async () => {
    const gone = await lab.host.create(
      { name: 'Gone', listenPort: 8099, target: { kind: 'instance', name: 'nosuchvm', port: 80 } },
      'test',
    );
    const udp = await lab.host.create(
      { name: 'Dns', protocol: 'udp', listenPort: 5354, target: { kind: 'instance', name: 'ops', port: 53 } },
      'test',
    );
    expect(udp.ok).toBe(true);
    await lab.host.health.round();
    if (gone.ok)
      expect(lab.host.health.health(gone.data.id)).toMatchObject({
        state: 'down',
        reason: expect.stringContaining('no instance "nosuchvm"'),
      });
    if (udp.ok)
      expect(lab.host.health.health(udp.data.id)).toMatchObject({ state: 'unknown', reason: expect.stringContaining('UDP is not probed') });
  });
});
