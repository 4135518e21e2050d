import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it.each([
    [{}, '/run/labgate'],
    [{ RUNTIME_DIRECTORY: '/run/labgate:/run/other' }, '/run/labgate'],
    [{ RUNTIME_DIRECTORY: '/run/x', LABGATE_RUNTIME_DIR: '/run/labgate-lab' }, '/run/labgate-lab'],
  ])('the runtime dir of %j is %s (systemd names it, the setting wins)', (source, dir) => {
    expect(parseEnv(source).runtimeDir).toBe(dir);
  });

  it('has defaults for everything', () => {
    expect(parseEnv({})).toEqual({
      role: 'all',
      dataDir: path.resolve('./data'),
      adminPassword: undefined,
      sessionTtlMs: 12 * 3_600_000,
      lanAddress: null,
      lanInterface: null,
      hostToken: null,
      metricsToken: null,
      hostUrl: 'http://127.0.0.1:3001',
      allowedNetworks: [],
      trustedProxies: [],
      allowedHosts: [],
      auditRetention: { days: 365, maxEntries: 100_000 },
      journalRetentionDays: 30,
      nodePortRange: { from: 30000, to: 32767 },
      kubeconfig: null,
      kubeContext: null,
      multipassSocket: '/var/snap/multipass/common/multipass_socket',
      lanName: 'labgate',
      caddyAdmin: '/run/labgate-caddy/admin.sock',
      runtimeDir: '/run/labgate',
      healthIntervalMs: 30_000,
      healthWebhook: null,
    });
  });

  it('takes the health probes’ interval and webhook', () => {
    expect(parseEnv({ LABGATE_HEALTH_INTERVAL_SECONDS: '10', LABGATE_HEALTH_WEBHOOK: 'https://ntfy.lan/labgate?t=x' })).toMatchObject({
      healthIntervalMs: 10_000,
      healthWebhook: 'https://ntfy.lan/labgate?t=x',
    });
  });

  it.each([
    [{ LABGATE_LAN_NAME: 'lab' }, 'lab'],
    [{ LABGATE_LAN_NAME: 'off' }, null],
  ])('takes the dashboard’s LAN name %j', (source, lanName) => {
    expect(parseEnv(source).lanName).toBe(lanName);
  });

  it.each([['Lab'], ['lab.local'], ['-lab'], ['']])('refuses LABGATE_LAN_NAME=%j by name', (value) => {
    expect(() => parseEnv({ LABGATE_LAN_NAME: value })).toThrow(/LABGATE_LAN_NAME is a DNS label/);
  });

  it('takes allowed networks as a list, and names what is wrong with one', () => {
    expect(parseEnv({ LABGATE_ALLOWED_NETWORKS: '10.200.0.0/16,172.16.0.0/12' }).allowedNetworks).toEqual([
      '10.200.0.0/16',
      '172.16.0.0/12',
    ]);
    expect(() => parseEnv({ LABGATE_ALLOWED_NETWORKS: '10.0.0.0/7' })).toThrow(/wider than \/8/);
  });

  it.each([
    { name: 'unknown role', env: { LABGATE_ROLE: 'root' } },
    { name: 'short admin password', env: { LABGATE_ADMIN_PASSWORD: 'short' } },
    { name: 'negative session lifetime', env: { LABGATE_SESSION_TTL_HOURS: '-1' } },
    { name: 'non-numeric session lifetime', env: { LABGATE_SESSION_TTL_HOURS: 'soon' } },
    { name: 'a LAN address that is not IPv4', env: { LABGATE_LAN_ADDRESS: 'lab.local' } },
    { name: 'a short host token', env: { LABGATE_HOST_TOKEN: 'short' } },
    { name: 'allowed networks that are not CIDRs', env: { LABGATE_ALLOWED_NETWORKS: '10.0.0.0/8,everything' } },
    { name: 'a short metrics token', env: { LABGATE_METRICS_TOKEN: 'short' } },
    { name: 'the host token reused for metrics', env: { LABGATE_METRICS_TOKEN: 'x'.repeat(32), LABGATE_HOST_TOKEN: 'x'.repeat(32) } },
    { name: 'a LAN interface with a space', env: { LABGATE_LAN_INTERFACE: 'enp3s0 -j ACCEPT' } },
    { name: 'an allowed network wider than /8', env: { LABGATE_ALLOWED_NETWORKS: '10.200.0.0/16,0.0.0.0/0' } },
    { name: 'an allowed host with a path', env: { LABGATE_ALLOWED_HOSTS: 'lab.home.arpa/x' } },
    { name: 'a reversed nodePort range', env: { LABGATE_NODEPORT_RANGE: '32767-30000' } },
    { name: 'a nodePort range past 65535', env: { LABGATE_NODEPORT_RANGE: '30000-70000' } },
    { name: 'a trusted proxy that is a name', env: { LABGATE_TRUSTED_PROXIES: '127.0.0.1,proxy.lan' } },
    { name: 'an allowed network with leading zeros', env: { LABGATE_ALLOWED_NETWORKS: '010.0.0.0/8' } },
    { name: 'a relative Multipass socket', env: { LABGATE_MULTIPASS_SOCKET: 'multipass_socket' } },
    { name: 'a health interval under 5 s', env: { LABGATE_HEALTH_INTERVAL_SECONDS: '1' } },
    { name: 'a health interval of a fraction', env: { LABGATE_HEALTH_INTERVAL_SECONDS: '7.5' } },
    { name: 'a webhook that is not http(s)', env: { LABGATE_HEALTH_WEBHOOK: 'file:///etc/passwd' } },
    { name: 'a webhook that is not a URL', env: { LABGATE_HEALTH_WEBHOOK: 'ntfy.lan/labgate' } },
    { name: 'a webhook with a password in it', env: { LABGATE_HEALTH_WEBHOOK: 'https://me:secret@ntfy.lan/' } },
  ])('rejects $name, naming the setting', ({ env }) => expect(() => parseEnv(env)).toThrow(`labgate cannot start: ${Object.keys(env)[0]}`));
});
