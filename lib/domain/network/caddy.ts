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
  signIn?: SignIn; // only people signed in to labgate are proxied; the rest are sent to its login
}

/** "Sign in with labgate": Caddy asks the dashboard about every request (forward_auth). */
export interface SignIn {
  dashboard: string; // the dashboard's origin as browsers open it: https://192.168.50.27:3000
  gate: string; // where Caddy reaches the same server on this host: https://127.0.0.1:3000
  ca: string; // PEM of labgate's CA, which the dashboard's certificate comes from
  exempt: readonly string[]; // sources that need no sign-in: the host itself (its probes, Expose's check)
}

/** The path on labgate that answers Caddy's question, and the cookie an exposure's sign-in sets. */
export const EXPOSURE_AUTH_PATH = '/api/auth/exposure';
/**
 * The gate's answer carries the request's Cookie header without labgate's own cookies, and says
 * whether there is one ("yes"/"no"): Caddy matches only a value that is there (an absent header's
 * placeholder matches nothing, empty or not, in the Caddy this runs with).
 */
export const FORWARDED_COOKIE = { header: 'X-Labgate-Cookie', kept: 'X-Labgate-Cookie-Kept' } as const;

const refusal = (name: string) => ({
  handler: 'static_response',
  status_code: 403,
  headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
  body: `labgate refused this device: ${name} is open only to some addresses on the LAN, and this one is not among them. Whoever runs labgate can add it to the exposure's access rule.`,
});

const derBase64 = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

/**
 * Caddy's forward_auth, spelt out: a GET to labgate's endpoint with the request's cookies and its
 * method and URI; a 2xx lets the request on, with the Cookie header labgate sends back (its own
 * cookies taken out: the service never sees them); anything else (a redirect to the login, the
 * sign-in cookie being set) goes back to the browser as labgate wrote it.
 */
function signInGate(name: string, signIn: SignIn) {
  const dashboard = new URL(signIn.dashboard);
  const gate = new URL(signIn.gate);
  const https = gate.protocol === 'https:';
  const forwarded = `{http.reverse_proxy.header.${FORWARDED_COOKIE.header}}`;
  return {
    handler: 'reverse_proxy',
    upstreams: [{ dial: `${gate.hostname}:${gate.port || (https ? 443 : 80)}` }],
    ...(https ? { transport: { protocol: 'http', tls: { root_ca_pool: [derBase64(signIn.ca)], server_name: gate.hostname } } } : {}),
    rewrite: { method: 'GET', uri: `${EXPOSURE_AUTH_PATH}?name=${name}` },
    headers: {
      request: {
        // A WebSocket's handshake asks as a plain GET: otherwise Caddy would try to upgrade the
        // question itself (caddyserver/caddy#5430). The proxied request keeps its own headers.
        delete: ['Connection', 'Upgrade'],
        // The dashboard's own Host: labgate answers only to its names, and sends the browser back there to sign in.
        set: { Host: [dashboard.host], 'X-Forwarded-Method': ['{http.request.method}'], 'X-Forwarded-Uri': ['{http.request.uri}'] },
      },
    },
    handle_response: [
      {
        match: { status_code: [2] },
        routes: [
          { handle: [{ handler: 'headers', request: { delete: ['Cookie'] } }] },
          {
            match: [{ vars: { [`{http.reverse_proxy.header.${FORWARDED_COOKIE.kept}}`]: ['yes'] } }],
            handle: [{ handler: 'headers', request: { set: { Cookie: [forwarded] } } }],
          },
        ],
      },
    ],
  };
}

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
            // never a header), then everyone else on that name refused. With sign-in, the host's own
            // requests go straight through; everyone else's pass labgate's gate first.
            routes: sites.flatMap((s) => {
              const proxy = s.upstream
                ? { handler: 'reverse_proxy', upstreams: [{ dial: s.upstream }] }
                : { handler: 'static_response', status_code: 503, body: `${s.name} points nowhere right now: see its forward in labgate.` };
              const allowed = s.allowFrom ? { remote_ip: { ranges: [...s.allowFrom] } } : {};
              return [
                ...(s.signIn
                  ? [{ match: [{ host: [s.name], remote_ip: { ranges: [...s.signIn.exempt] } }], handle: [proxy], terminal: true }]
                  : []),
                {
                  match: [{ host: [s.name], ...allowed }],
                  handle: s.signIn ? [signInGate(s.name, s.signIn), proxy] : [proxy],
                  terminal: true,
                },
                ...(s.allowFrom ? [{ match: [{ host: [s.name] }], handle: [refusal(s.name)], terminal: true }] : []),
              ];
            }),
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
