import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import { isCidr, isIpv4, WIDEST_ALLOWED_BITS } from '@/lib/domain/network/networks';
import { parseRange, type PortRange } from '@/lib/domain/cluster/ports';

/** Every setting labgate reads, parsed once. Documented in the README's configuration table. */
const EnvSchema = z.object({
  LABGATE_ROLE: z.enum(['all', 'host', 'ui']).default('all'),
  LABGATE_DATA_DIR: z.string().min(1).default('./data'),
  LABGATE_ADMIN_PASSWORD: z.string().min(8, 'LABGATE_ADMIN_PASSWORD must have at least 8 characters').max(1024).optional(),
  LABGATE_SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  LABGATE_LAN_ADDRESS: z.ipv4({ error: 'LABGATE_LAN_ADDRESS must be an IPv4 address' }).optional(),
  LABGATE_HOST_TOKEN: z.string().min(24, 'LABGATE_HOST_TOKEN must have at least 24 characters').max(512).optional(),
  LABGATE_METRICS_TOKEN: z.string().min(24, 'LABGATE_METRICS_TOKEN must have at least 24 characters').max(512).optional(),
  LABGATE_HOST_URL: z
    .string()
    .regex(
      /^(https?:\/\/[^\s]+|unix:\/[^\s]+)$/,
      'LABGATE_HOST_URL is http://HOST:PORT or unix:/path/to/socket, such as unix:/run/labgate/host.sock',
    )
    .default('http://127.0.0.1:3001'),
  LABGATE_ALLOWED_NETWORKS: z
    .string()
    .transform((v) => v.split(','))
    .pipe(
      z.array(
        z
          .string()
          .refine(isCidr, 'LABGATE_ALLOWED_NETWORKS is a comma-separated list of CIDRs such as 10.200.0.0/16')
          .refine(
            (c) => Number(c.split('/')[1]) >= WIDEST_ALLOWED_BITS,
            `LABGATE_ALLOWED_NETWORKS: a network wider than /${WIDEST_ALLOWED_BITS} would let forwards reach almost anywhere; list narrower ones`,
          ),
      ),
    )
    .optional(),
  LABGATE_TRUSTED_PROXIES: z
    .string()
    .transform((v) => v.split(','))
    .pipe(
      z.array(
        z
          .string()
          .refine(
            (p) => isIpv4(p) || isCidr(p) || /^[0-9a-f:]{2,39}$/i.test(p),
            'LABGATE_TRUSTED_PROXIES is a comma-separated list of addresses or CIDRs',
          ),
      ),
    )
    .optional(),
  LABGATE_ALLOWED_HOSTS: z
    .string()
    .transform((v) => v.split(','))
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/,
            'LABGATE_ALLOWED_HOSTS is a comma-separated list of host names such as labgate.home.arpa',
          ),
      ),
    )
    .optional(),
  LABGATE_AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1, 'LABGATE_AUDIT_RETENTION_DAYS is a whole number of days, at least 1')
    .max(36_500)
    .default(365),
  LABGATE_AUDIT_MAX_ENTRIES: z.coerce.number().int().min(100, 'LABGATE_AUDIT_MAX_ENTRIES is at least 100').max(10_000_000).default(100_000),
  LABGATE_JOURNAL_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1, 'LABGATE_JOURNAL_RETENTION_DAYS is a whole number of days, at least 1')
    .max(36_500)
    .default(30),
  LABGATE_NODEPORT_RANGE: z
    .string()
    .default('30000-32767')
    .transform(
      (v, ctx) =>
        parseRange(v) ??
        (ctx.addIssue({
          code: 'custom',
          message: `LABGATE_NODEPORT_RANGE is FROM-TO with FROM no larger than TO, such as 30000-32767, not "${v}"`,
        }),
        z.NEVER),
    ),
  KUBECONFIG: z.string().min(1).optional(),
  LABGATE_KUBE_CONTEXT: z.string().min(1).max(253).optional(),
  LABGATE_MULTIPASS_SOCKET: z
    .string()
    .regex(/^\/[^\0\s]*$/, "LABGATE_MULTIPASS_SOCKET is the absolute path of the Multipass daemon's socket")
    .default('/var/snap/multipass/common/multipass_socket'),
  // The dashboard's own name on the LAN (published by avahi-daemon as NAME.local); "off": none.
  LABGATE_LAN_NAME: z
    .string()
    .regex(/^(off|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/, 'LABGATE_LAN_NAME is a DNS label such as labgate (for labgate.local), or off')
    .default('labgate'),
  // Caddy's admin API (a unix socket only the host role may open): HTTPS in front of exposures.
  LABGATE_CADDY_ADMIN: z
    .string()
    .regex(/^\/[^\s]+$/, "LABGATE_CADDY_ADMIN is the path of Caddy's admin socket, such as /run/labgate-caddy/admin.sock")
    .default('/run/labgate-caddy/admin.sock'),
  // Where the host lock lives: systemd's RuntimeDirectory for the units (RUNTIME_DIRECTORY), else /run/labgate.
  LABGATE_RUNTIME_DIR: z
    .string()
    .regex(/^\/[^\s:]*$/, 'LABGATE_RUNTIME_DIR is an absolute path, such as /run/labgate')
    .optional(),
  RUNTIME_DIRECTORY: z.string().optional(),
  LABGATE_LAN_INTERFACE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,15}$/, 'LABGATE_LAN_INTERFACE must be an interface name (1-15 of A-Z a-z 0-9 _ . -)')
    .optional(),
  LABGATE_HEALTH_INTERVAL_SECONDS: z.coerce
    .number()
    .int('LABGATE_HEALTH_INTERVAL_SECONDS is a whole number of seconds')
    .min(5, 'LABGATE_HEALTH_INTERVAL_SECONDS is at least 5')
    .max(3_600, 'LABGATE_HEALTH_INTERVAL_SECONDS is at most 3600 (an hour)')
    .default(30),
  // Where a forward going down or up again is posted, as JSON: http(s) only, and no credentials in it to leak into logs.
  LABGATE_HEALTH_WEBHOOK: z
    .url({ protocol: /^https?$/, error: 'LABGATE_HEALTH_WEBHOOK is an http:// or https:// URL, such as https://ntfy.example/labgate' })
    .max(2_000)
    .refine(
      (u) => !URL.parse(u)?.username && !URL.parse(u)?.password,
      'LABGATE_HEALTH_WEBHOOK must not carry a user or password; put a token in its path or query',
    )
    .optional(),
});

export type Env = {
  role: 'all' | 'host' | 'ui';
  dataDir: string;
  adminPassword: string | undefined;
  sessionTtlMs: number;
  lanAddress: string | null;
  lanInterface: string | null;
  hostToken: string | null;
  metricsToken: string | null; // /metrics is off without it
  hostUrl: string;
  allowedNetworks: string[]; // beyond the Multipass bridges
  trustedProxies: string[]; // whose X-Forwarded-For names the client
  allowedHosts: string[]; // names besides the host's own that requests may carry in Host
  auditRetention: { days: number; maxEntries: number };
  journalRetentionDays: number; // for finished Exposes (undone, failed)
  nodePortRange: PortRange; // the cluster's service-node-port-range: no API reports it
  kubeconfig: string | null; // KUBECONFIG: null, the default kubeconfig or the in-cluster account
  kubeContext: string | null; // LABGATE_KUBE_CONTEXT
  multipassSocket: string; // LABGATE_MULTIPASS_SOCKET: the daemon's gRPC socket (the snap's by default)
  lanName: string | null; // LABGATE_LAN_NAME: the dashboard's mDNS name (without .local), null when off
  caddyAdmin: string; // LABGATE_CADDY_ADMIN
  runtimeDir: string; // LABGATE_RUNTIME_DIR: where the host lock is
  healthIntervalMs: number; // LABGATE_HEALTH_INTERVAL_SECONDS: how often each forward is probed
  healthWebhook: string | null; // LABGATE_HEALTH_WEBHOOK: where changes of health are posted
};

/** An issue's message, naming the setting where the schema's own words do not (zod's defaults). */
function settingMessage(issue: z.core.$ZodIssue): string {
  const name = issue.path.join('.');
  return !name || issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = EnvSchema.refine((v) => !v.LABGATE_METRICS_TOKEN || v.LABGATE_METRICS_TOKEN !== v.LABGATE_HOST_TOKEN, {
    message: 'LABGATE_METRICS_TOKEN must differ from LABGATE_HOST_TOKEN: whoever reads metrics must not be able to change the host',
  }).safeParse(source);
  // One readable line per bad setting, so that a refused start says what to fix.
  if (!parsed.success) throw new Error(`labgate cannot start: ${parsed.error.issues.map(settingMessage).join('; ')}`);
  const e = parsed.data;
  return {
    role: e.LABGATE_ROLE,
    dataDir: path.resolve(e.LABGATE_DATA_DIR),
    adminPassword: e.LABGATE_ADMIN_PASSWORD || undefined,
    sessionTtlMs: e.LABGATE_SESSION_TTL_HOURS * 3_600_000,
    lanAddress: e.LABGATE_LAN_ADDRESS ?? null,
    lanInterface: e.LABGATE_LAN_INTERFACE ?? null,
    hostToken: e.LABGATE_HOST_TOKEN ?? null,
    metricsToken: e.LABGATE_METRICS_TOKEN ?? null,
    hostUrl: e.LABGATE_HOST_URL,
    allowedNetworks: e.LABGATE_ALLOWED_NETWORKS ?? [],
    trustedProxies: e.LABGATE_TRUSTED_PROXIES ?? [],
    allowedHosts: e.LABGATE_ALLOWED_HOSTS ?? [],
    auditRetention: { days: e.LABGATE_AUDIT_RETENTION_DAYS, maxEntries: e.LABGATE_AUDIT_MAX_ENTRIES },
    journalRetentionDays: e.LABGATE_JOURNAL_RETENTION_DAYS,
    nodePortRange: e.LABGATE_NODEPORT_RANGE,
    kubeconfig: e.KUBECONFIG ?? null,
    kubeContext: e.LABGATE_KUBE_CONTEXT ?? null,
    multipassSocket: e.LABGATE_MULTIPASS_SOCKET,
    lanName: e.LABGATE_LAN_NAME === 'off' ? null : e.LABGATE_LAN_NAME,
    caddyAdmin: e.LABGATE_CADDY_ADMIN,
    // systemd lists each RuntimeDirectory, colon-separated: the first is labgate's.
    runtimeDir: e.LABGATE_RUNTIME_DIR ?? e.RUNTIME_DIRECTORY?.split(':')[0] ?? '/run/labgate',
    healthIntervalMs: e.LABGATE_HEALTH_INTERVAL_SECONDS * 1_000,
    healthWebhook: e.LABGATE_HEALTH_WEBHOOK ?? null,
  };
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
