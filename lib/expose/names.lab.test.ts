import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { restartCaddy } from '@/lab/caddy.mts';
import { claimFromLan, curlNamedFromLan, resolveFromLan } from '@/lab/mdns-client.mts';
import { labPaths } from '@/lab/paths.mts';
import { eventually, kubectl, labPrefix, ruleset } from '@/lab/testing.mts';
import { namePlan } from '@/lib/domain/expose/plan';
import { hostClient } from '@/lib/host-api/client';
import { env } from '@/lib/env';
import { tlsFiles } from '@/lib/tls/certificates.mts';
import { renewSiteCertificates } from '@/lib/server/certificate-renewal';
import { siteCertificate } from '@/lib/tls/site';
import { grafanaServices, planExposeService } from './plan';
import { applyExpose, exposures, undoExpose } from './steps';
import { AnnotationExposer } from './annotations';

// Names on the LAN and HTTPS in front, with the lab's real avahi-daemons (host and laptop) and
// real Caddy: everything checked from the laptop's side, as a person on the LAN would.
const LAN_HOST = '192.168.50.27';

async function exposeGrafana(naming: { lanName?: string; https?: boolean }) {
  // The plan is made from the watch cache: it must have seen the last test's Undo first.
  const type = await serviceType();
  await eventually('the cache to see Grafana as the apiserver has it', async () => grafanaServices()[0]?.type === type);
  const plan = await planExposeService('monitoring', 'kps-grafana');
  if (!plan.ok) throw new Error(plan.error);
  const named = namePlan(plan.data, naming);
  if ('error' in named) throw new Error(named.error);
  return applyExpose(named, 'test');
}

// Every rule but labgate's own chains (which an earlier test file's server may have left in another state).
const foreignRules = async () => (await ruleset()).split('\n').filter((l) => !/LABGATE|labgate/.test(l));
const serviceType = () => kubectl(['get', 'service', '-n', 'monitoring', 'kps-grafana', '-o', 'jsonpath={.spec.type}']);

describe('Expose with a name on the LAN and HTTPS', () => {
  it('grafana.local resolves from the LAN, answers over HTTP and HTTPS with the CA’s certificate, and redirects; undo takes all of it back', async () => {
    const rulesBefore = await foreignRules();
    const clicked = Date.now();
    const res = await exposeGrafana({ lanName: 'grafana', https: true });
    expect(res.ok ? res.data.url : res.error).toBe('https://grafana.local/');
    const address = await eventually('grafana.local to resolve from the LAN', () => resolveFromLan('grafana.local'));
    console.log(`labgate: Expose pressed → grafana.local resolving from the LAN: ${Date.now() - clicked} ms`);
    expect(address).toBe(LAN_HOST);

    const plain = await curlNamedFromLan('http://grafana.local:30060/');
    expect(plain.body).toContain('kps-grafana');
    const ca = tlsFiles(env().dataDir).caCert;
    const secure = await curlNamedFromLan('https://grafana.local/', ['--cacert', ca, '-w', '\nverify=%{ssl_verify_result}']);
    expect(secure.stderr).toBe('');
    expect(secure.body).toContain('kps-grafana'); // through Caddy to the node that runs Grafana
    expect(secure.body).toContain('verify=0'); // the certificate is for grafana.local and from labgate's CA
    const redirect = await curlNamedFromLan('http://grafana.local/some/page?x=1', [
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{redirect_url}',
    ]);
    expect(redirect.body).toBe('308 https://grafana.local/some/page?x=1');

    expect(res.ok && (await undoExpose(res.data.id, 'test')).ok).toBe(true);
    await eventually('grafana.local to leave the LAN', async () => (await resolveFromLan('grafana.local')) === null);
    expect((await curlNamedFromLan('https://grafana.local/', ['--cacert', ca])).ok).toBe(false);
    expect(await serviceType()).toBe('ClusterIP');
    expect(await foreignRules()).toEqual(rulesBefore);
    expect(await ruleset()).not.toMatch(/labgate:[a-z0-9]/); // no forward of labgate's left
  });

  it('a name another device holds on the LAN is refused with an alternative, and nothing changes', async () => {
    const other = await claimFromLan('grafana.local');
    try {
      const rulesBefore = await foreignRules();
      const res = await exposeGrafana({ lanName: 'grafana' });
      expect(res.ok).toBe(false);
      expect(!res.ok && res.error).toMatch(/grafana\.local is already taken on the LAN by another device\. Try grafana-2\.local/);
      expect(await resolveFromLan('grafana.local')).toBe('192.168.50.10'); // still the other device's
      expect(await serviceType()).toBe('ClusterIP');
      expect(await foreignRules()).toEqual(rulesBefore);
      const listed = await hostClient().listForwards();
      expect(listed.ok && listed.data.filter((f) => f.lanName === 'grafana')).toEqual([]);
    } finally {
      other.kill('SIGTERM');
    }
  });

  it('Caddy restarted comes back with nothing; the next sync serves the site again', async () => {
    const res = await exposeGrafana({ lanName: 'grafana', https: true });
    expect(res.ok).toBe(true);
    try {
      await restartCaddy(labPrefix(), labPaths(labPrefix()));
      const ca = tlsFiles(env().dataDir).caCert;
      expect((await curlNamedFromLan('https://grafana.local/', ['--cacert', ca])).ok).toBe(false);
      expect((await hostClient().sync()).ok).toBe(true);
      expect((await curlNamedFromLan('https://grafana.local/', ['--cacert', ca])).body).toContain('kps-grafana');
    } finally {
      if (res.ok) await undoExpose(res.data.id, 'test');
    }
  });
});

describe('HTTPS certificates renewed before their end', () => {
  const DAY = 86_400_000;
  const daysLeft = (until: Date | string) => (new Date(until).getTime() - Date.now()) / DAY;

  it('a certificate 17 days from its end gets a fresh one from the same CA: stored, served by Caddy, audited; a fresh one is left alone', async () => {
    const res = await exposeGrafana({ lanName: 'grafana', https: true });
    if (!res.ok) throw new Error(res.error);
    try {
      const host = hostClient();
      const grafana = async () => {
        const listed = await host.listForwards();
        if (!listed.ok) throw new Error(listed.error);
        return listed.data.find((f) => f.lanName === 'grafana')!;
      };
      const ca = tlsFiles(env().dataDir).caCert;
      // What Caddy serves on grafana.local now: curl shows the certificate's end date.
      const served = async () =>
        eventually('grafana.local to answer over HTTPS', async () => {
          const r = await curlNamedFromLan('https://grafana.local/', ['--cacert', ca, '-v', '-o', '/dev/null']);
          const end = /expire date: (.+)/.exec(r.stderr)?.[1];
          return r.ok && end ? new Date(end) : undefined;
        });
      const issuedLongAgo = await siteCertificate('grafana', new Date(Date.now() - 380 * DAY));
      expect((await host.updateForward({ id: (await grafana()).id, tls: issuedLongAgo })).ok).toBe(true);
      const old = (await grafana()).httpsUntil!;
      expect(daysLeft(old)).toBeCloseTo(17, 0);
      expect(Math.abs((await served()).getTime() - Date.parse(old))).toBeLessThan(1_000);

      expect(await renewSiteCertificates()).toEqual({ renewed: ['grafana.local'], failed: [] });
      const fresh = (await grafana()).httpsUntil!;
      expect(daysLeft(fresh)).toBeCloseTo(397, 0);
      expect(Math.abs((await served()).getTime() - Date.parse(fresh))).toBeLessThan(1_000);
      const audit = await host.audit();
      expect(audit.ok && audit.data[0]).toMatchObject({ actor: 'certificate-renewal', action: 'forward.update', result: 'ok' });

      expect(await renewSiteCertificates()).toEqual({ renewed: [], failed: [] });
      expect((await grafana()).httpsUntil).toBe(fresh);
    } finally {
      await undoExpose(res.data.id, 'test');
    }
  });
});

describe('by annotation', () => {
  it('labgate.dev/name and labgate.dev/https: named and served over HTTPS with no click; the annotation off undoes all of it', async () => {
    const exposer = new AnnotationExposer();
    exposer.start();
    const annotate = (...a: string[]) => kubectl(['annotate', 'service', '-n', 'monitoring', 'kps-grafana', ...a]);
    try {
      await annotate('labgate.dev/expose=true', 'labgate.dev/name=dashboards', 'labgate.dev/https=true');
      const [e] = await eventually(
        'the annotated Service exposed',
        async () => {
          const list = (await exposures()).filter((x) => x.source === 'annotation');
          return list.length ? list : undefined;
        },
        20_000,
      );
      expect(e!.url).toBe('https://dashboards.local/');
      expect(await resolveFromLan('dashboards.local')).toBe(LAN_HOST);
      const ca = tlsFiles(env().dataDir).caCert;
      expect((await curlNamedFromLan('https://dashboards.local/', ['--cacert', ca])).body).toContain('kps-grafana');
    } finally {
      await annotate('labgate.dev/expose-', 'labgate.dev/name-', 'labgate.dev/https-');
    }
    await eventually('the Expose undone', async () => (await exposures()).length === 0, 20_000);
    exposer.stop();
    await eventually('dashboards.local to leave the LAN', async () => (await resolveFromLan('dashboards.local')) === null);
    expect(await serviceType()).toBe('ClusterIP');
  });
});

describe('names never outlive labgate', () => {
  it('a process that published a name and is killed with SIGKILL takes the name with it', async () => {
    // What the host role's publisher leaves when its process dies: avahi-publish gets the parent's death signal.
    const script = path.join(env().dataDir, 'publish-then-wait.mts');
    fs.writeFileSync(
      script,
      `import { spawn } from 'node:child_process';
spawn('setpriv', ['--pdeathsig', 'TERM', 'avahi-publish', '--address', '--no-reverse', '--verbose', '--no-fail', 'orphan.local', '${LAN_HOST}'], { stdio: 'inherit' });
setInterval(() => {}, 1000);`,
    );
    const parent = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
    await eventually('orphan.local to resolve', () => resolveFromLan('orphan.local'));
    parent.kill('SIGKILL');
    await eventually('orphan.local to leave the LAN', async () => (await resolveFromLan('orphan.local')) === null);
  });
});
