import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '@/lab/exec.mts';
import { curlFrom, lanDevice } from '@/lab/testing.mts';
import { LAN } from '@/lab/topology.mts';
import { env } from '@/lib/env';
import { CHECK_FIELDS } from '@/lib/schemas/errors';
import { tlsFiles } from '@/lib/tls/certificates.mts';
import { siteCertificate } from '@/lib/tls/site';
import { labHost } from './testing/lab-host';
import { hostStatus } from './testing/status';

// Who may reach a forward, enforced by the real kernel (plain forwards) and the real Caddy
// (HTTPS), checked from the LAN: the laptop (192.168.50.10) and a second device beside it
// (LAN.phone, a second address in the LAN namespace that curl sends from).
const laptop = LAN.laptop;
const phone = LAN.phone;
const from = (source: string, url: string, extra: string[] = []) => curlFrom('lan', url, ['--interface', source, ...extra]);

const lab = labHost();
let removeDevice: () => Promise<void>;
beforeAll(async () => void (removeDevice = await lanDevice()));
afterAll(() => removeDevice?.());

async function created(input: Record<string, unknown>) {
  const res = await lab.host.create(input, 'test');
  if (!res.ok) throw new Error(res.error);
  return res.data;
}

describe("a forward's access rule, in the kernel", () => {
  it('one device allowed, the other refused, then swapped, then everyone again; the kernel holds what the store says each time', async () => {
    const jenkins = await created({
      name: 'Jenkins',
      listenPort: 8090,
      target: { kind: 'instance', name: 'ops', port: 8080 },
      allowFrom: [laptop],
    });
    const open = await created({ name: 'Open', listenPort: 8091, target: { kind: 'instance', name: 'ops', port: 8080 } });
    expect(jenkins.allowFrom).toEqual([`${laptop}/32`]);
    const url = `http://${LAN.host}:8090/`;
    const other = `http://${LAN.host}:8091/`;
    const reached = async () => ({ laptop: (await from(laptop, url)).ok, phone: (await from(phone, url)).ok });

    expect(await reached()).toEqual({ laptop: true, phone: false });
    expect((await from(laptop, url)).body).toContain('Jenkins');
    expect((await hostStatus(lab.host)).inSync).toBe(true); // the rules as rendered are the rules as the kernel prints them

    expect((await lab.host.update({ id: jenkins.id, allowFrom: [`${phone}/32`] }, 'test')).ok).toBe(true);
    expect(await reached()).toEqual({ laptop: false, phone: true });
    expect((await hostStatus(lab.host)).inSync).toBe(true);

    expect((await lab.host.update({ id: jenkins.id, allowFrom: ['192.168.50.0/28'] }, 'test')).ok).toBe(true);
    expect(await reached()).toEqual({ laptop: true, phone: true });

    expect((await lab.host.update({ id: jenkins.id, allowFrom: null }, 'test')).ok).toBe(true);
    expect(await reached()).toEqual({ laptop: true, phone: true });
    expect(lab.host.list().find((f) => f.id === jenkins.id)!.allowFrom).toBeNull();
    expect((await hostStatus(lab.host)).inSync).toBe(true);

    // The other forward answered everyone all along, and still does.
    expect((await from(phone, other)).body).toContain('Jenkins');
    expect(open.allowFrom).toBeNull();
  });

  it('the host itself still reaches a forward it restricts (its own checks of the URL)', async () => {
    await created({ name: 'Jenkins', listenPort: 8092, target: { kind: 'instance', name: 'ops', port: 8080 }, allowFrom: [phone] });
    expect((await curlFrom('host', `http://${LAN.host}:8092/`)).body).toContain('Jenkins');
    expect((await from(laptop, `http://${LAN.host}:8092/`)).ok).toBe(false);
  });

  it('a bad source is refused with its message, and nothing changes', async () => {
    const before = (await run('iptables-save', [])).stdout.split('\n').filter((l) => l.includes('labgate:'));
    const res = await lab.host.create(
      { name: 'Jenkins', listenPort: 8093, target: { kind: 'instance', name: 'ops', port: 8080 }, allowFrom: ['192.168.50.10 -j ACCEPT'] },
      'test',
    );
    expect(res.ok ? 'created' : res.error).toBe(CHECK_FIELDS);
    expect(res.ok ? null : res.fieldErrors?.allowFrom?.[0]).toMatch(/not an IPv4 address or network/);
    expect((await run('iptables-save', [])).stdout.split('\n').filter((l) => l.includes('labgate:'))).toEqual(before);
  });
});

describe("an HTTPS exposure's access rule, in Caddy", () => {
  it('the allowed device gets the site, the other a 403 that says labgate refused it; swapped; other sites untouched', async () => {
    const ca = tlsFiles(env().dataDir).caCert;
    const https = (source: string, name: string) =>
      from(source, `https://${name}/`, ['--resolve', `${name}:443:${LAN.host}`, '--cacert', ca, '-w', '\nstatus=%{http_code}']);
    const named = async (lanName: string, port: number, allowFrom?: string[]) =>
      created({
        name: lanName,
        listenPort: port,
        target: { kind: 'instance', name: 'ops', port: 8080 },
        lanName,
        tls: await siteCertificate(lanName),
        ...(allowFrom ? { allowFrom } : {}),
      });
    const jenkins = await named('jenkins', 8094, [laptop]);
    await named('ci', 8095);

    expect((await https(laptop, 'jenkins.local')).body).toMatch(/Jenkins[\s\S]*status=200/);
    const refused = await https(phone, 'jenkins.local');
    expect(refused.body).toMatch(/^labgate refused this device: jenkins\.local is open only to some addresses/);
    expect(refused.body).toContain('status=403');
    expect((await https(phone, 'ci.local')).body).toContain('status=200');
    // The health probe asks as a device that trusts labgate's CA does: by name, through Caddy.
    await lab.host.health.round();
    expect(lab.host.health.health(jenkins.id)).toMatchObject({ state: 'up', reason: null });

    expect((await lab.host.update({ id: jenkins.id, allowFrom: [phone] }, 'test')).ok).toBe(true);
    expect((await https(phone, 'jenkins.local')).body).toContain('status=200');
    expect((await https(laptop, 'jenkins.local')).body).toContain('status=403');
  });
});
