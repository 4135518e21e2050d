/**
 * Caddy's whole configuration for labgate's HTTPS exposures, as its admin API's /load takes it.
 * Rendered from desired state every time, so applying it twice changes nothing. Pure.
 */

export interface Site {
  name: string; // grafana.local
  upstream: string | null; // where the forward points now (ip:port); null while it points nowhere
  certificate: string; // PEM, from labgate's CA
  key: string;
  allowFrom?: readonly string[]; // only these sources are proxied (the host's own among them); the rest get a 403 that says why
}

const refusal = (name: string) => ({
  handler: 'static_response',
  status_code: 403,
  headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
  body: `labgate refused this device: ${name} is open only to some addresses on the LAN, and this one is not among them. Whoever runs labgate can add it to the exposure's access rule.`,
});

/** A config that keeps Caddy's admin API where it is (a /load replaces all of it, admin included) and nothing else. */
function admin(socket: string) {
  return { listen: `unix/${socket}`, config: { persist: false } };
}

export function caddyConfig(adminSocket: string, sites: readonly Site[]): Record<string, unknown> {
  if (sites.length === 0) return { admin: admin(adminSocket) };
  const names = sites.map((s) => s.name);
  // Caddy never makes certificates of its own here: no ACME, no local CA, no trust store touched.
  const noAutomaticHttps = { disable: true };
  return {
    admin: admin(adminSocket),
    apps: {
      tls: { certificates: { load_pem: sites.map((s) => ({ certificate: s.certificate, key: s.key, tags: [s.name] })) } },
      http: {
        servers: {
          https: {
            listen: [':443'],
            tls_connection_policies: [{ match: { sni: names } }],
            automatic_https: noAutomaticHttps,
            // A site with an access rule: its sources first (remote_ip: the connection's own address,
            // never a header), then everyone else on that name refused.
            routes: sites.flatMap((s) => [
              {
                match: [{ host: [s.name], ...(s.allowFrom ? { remote_ip: { ranges: [...s.allowFrom] } } : {}) }],
                handle: s.upstream
                  ? [{ handler: 'reverse_proxy', upstreams: [{ dial: s.upstream }] }]
                  : [
                      {
                        handler: 'static_response',
                        status_code: 503,
                        body: `${s.name} points nowhere right now: see its forward in labgate.`,
                      },
                    ],
                terminal: true,
              },
              ...(s.allowFrom ? [{ match: [{ host: [s.name] }], handle: [refusal(s.name)], terminal: true }] : []),
            ]),
          },
          // Plain HTTP on an exposure's name goes to its HTTPS URL.
          redirect: {
            listen: [':80'],
            automatic_https: noAutomaticHttps,
            routes: [
              {
                match: [{ host: names }],
                handle: [
                  {
                    handler: 'static_response',
                    status_code: 308,
                    headers: { Location: ['https://{http.request.host}{http.request.uri}'] },
                  },
                ],
                terminal: true,
              },
            ],
          },
        },
      },
    },
  };
}
