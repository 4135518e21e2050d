import { describe, expect, it } from 'vitest';
import { caddyConfig, type Site } from './caddy';

const site = (name: string, upstream: string | null): Site => ({ name, upstream, certificate: `cert of ${name}`, key: `key of ${name}` });
type Server = {
  listen: string[];
  routes: { match: { host: string[] }[]; handle: { handler: string; upstreams?: { dial: string }[] }[] }[];
};
const servers = (c: Record<string, unknown>) => (c.apps as { http: { servers: Record<string, Server> } }).http.servers;

describe('caddyConfig', () => {
  it('without sites keeps only the admin API on its socket', () => {
    expect(caddyConfig('/run/labgate-caddy/admin.sock', [])).toEqual({
      admin: { listen: 'unix//run/labgate-caddy/admin.sock', config: { persist: false } },
    });
  });

  it.each([
    [[site('grafana.local', '10.120.52.23:30060')], ['10.120.52.23:30060']],
    [
      [site('grafana.local', '10.120.52.24:30060'), site('jenkins.local', '10.120.52.31:8080')],
      ['10.120.52.24:30060', '10.120.52.31:8080'],
    ],
  ])('proxies each name to its forward’s target', (sites, dials) => {
    const c = caddyConfig('/s', sites);
    const https = servers(c).https!;
    expect(https.listen).toEqual([':443']);
    expect(https.routes.map((r) => r.match[0]!.host)).toEqual(sites.map((s) => [s.name]));
    expect(https.routes.map((r) => r.handle[0]!.upstreams?.[0]!.dial)).toEqual(dials);
    expect((c.apps as { tls: { certificates: { load_pem: unknown[] } } }).tls.certificates.load_pem).toEqual(
      sites.map((s) => ({ certificate: s.certificate, key: s.key, tags: [s.name] })),
    );
    expect((c.admin as { listen: string }).listen).toBe('unix//s');
  });

  it('an access rule: its sources (the host among them) are proxied, anyone else on that name gets a 403 that says labgate refused', () => {
    const c = caddyConfig('/s', [
      { ...site('grafana.local', '10.120.52.23:30060'), allowFrom: ['192.168.50.10/32', '127.0.0.0/8'] },
      site('jenkins.local', '10.120.52.31:8080'),
    ]);
    const routes = servers(c).https!.routes as unknown as {
      match: Record<string, unknown>[];
      handle: { handler: string; status_code?: number; body?: string }[];
    }[];
    expect(routes.map((r) => r.match)).toEqual([
      [{ host: ['grafana.local'], remote_ip: { ranges: ['192.168.50.10/32', '127.0.0.0/8'] } }],
      [{ host: ['grafana.local'] }],
      [{ host: ['jenkins.local'] }],
    ]);
    expect(routes[0]!.handle[0]!.handler).toBe('reverse_proxy');
    expect(routes[1]!.handle[0]).toMatchObject({ handler: 'static_response', status_code: 403 });
    expect(routes[1]!.handle[0]!.body).toMatch(/^labgate refused this device: grafana\.local is open only to some addresses/);
    expect(routes[2]!.handle[0]!.handler).toBe('reverse_proxy'); // the other exposure is untouched
  });

  it('sign-in: the host goes straight through; everyone else first asks labgate, whose 2xx lets the request on with its Cookie header', () => {
    const ca = '-----BEGIN CERTIFICATE-----\nQUJD\nREVG\n-----END CERTIFICATE-----\n';
    const c = caddyConfig('/s', [
      {
        ...site('grafana.local', '10.120.52.23:30060'),
        allowFrom: ['192.168.50.10/32', '127.0.0.0/8'],
        signIn: {
          dashboard: 'https://192.168.50.27:3000',
          gate: 'https://127.0.0.1:3000',
          ca,
          exempt: ['127.0.0.0/8', '192.168.50.27/32'],
        },
      },
    ]);
    const routes = servers(c).https!.routes as unknown as { match: Record<string, unknown>[]; handle: Record<string, unknown>[] }[];
    expect(routes.map((r) => r.match)).toEqual([
      [{ host: ['grafana.local'], remote_ip: { ranges: ['127.0.0.0/8', '192.168.50.27/32'] } }],
      [{ host: ['grafana.local'], remote_ip: { ranges: ['192.168.50.10/32', '127.0.0.0/8'] } }],
      [{ host: ['grafana.local'] }],
    ]);
    expect(routes[0]!.handle).toEqual([{ handler: 'reverse_proxy', upstreams: [{ dial: '10.120.52.23:30060' }] }]);
    const [gate, proxy] = routes[1]!.handle;
    expect(proxy).toEqual(routes[0]!.handle[0]);
    expect(gate).toMatchObject({
      handler: 'reverse_proxy',
      upstreams: [{ dial: '127.0.0.1:3000' }],
      transport: { protocol: 'http', tls: { root_ca_pool: ['QUJDREVG'], server_name: '127.0.0.1' } },
      rewrite: { method: 'GET', uri: '/api/auth/exposure?name=grafana.local' },
      headers: { request: { set: { Host: ['192.168.50.27:3000'], 'X-Forwarded-Uri': ['{http.request.uri}'] } } },
    });
    expect(JSON.stringify(gate)).toContain('"delete":["Cookie"]');
    expect(gate).toMatchObject({ headers: { request: { delete: ['Connection', 'Upgrade'] } } }); // a WebSocket's handshake asks as a plain GET
    expect(routes[2]!.handle[0]).toMatchObject({ handler: 'static_response', status_code: 403 });
  });

  it('sign-in to a plain-HTTP dashboard asks it without TLS', () => {
    const c = caddyConfig('/s', [
      { ...site('a.local', null), signIn: { dashboard: 'http://localhost:3000', gate: 'http://127.0.0.1:3000', ca: '', exempt: [] } },
    ]);
    const gate = servers(c).https!.routes[1]!.handle[0] as Record<string, unknown>;
    expect(gate.upstreams).toEqual([{ dial: '127.0.0.1:3000' }]);
    expect(gate.transport).toBeUndefined();
  });

  it('answers 503 for a name whose forward points nowhere, and redirects plain HTTP', () => {
    const c = caddyConfig('/s', [site('grafana.local', null)]);
    expect(servers(c).https!.routes[0]!.handle[0]!.handler).toBe('static_response');
    const redirect = servers(c).redirect!;
    expect(redirect.listen).toEqual([':80']);
    expect(redirect.routes[0]!.match[0]!.host).toEqual(['grafana.local']);
    expect(JSON.stringify(redirect.routes[0]!.handle)).toContain('https://{http.request.host}{http.request.uri}');
  });

  it('never lets Caddy make certificates of its own', () => {
    for (const server of Object.values(servers(caddyConfig('/s', [site('a.local', '10.0.0.1:1')]))))
      expect(server).toMatchObject({ automatic_https: { disable: true } });
  });
});
