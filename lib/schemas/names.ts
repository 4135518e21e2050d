import { z } from 'zod';
import { DNS_LABEL } from '@/lib/domain/network/lan-names';

/** The names labgate accepts, each rule in one place (Kubernetes' apimachinery validation; Multipass's). */
export const ResourceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'Use a Kubernetes name: lower-case letters, digits, - and ., at most 253 characters.');
export const NamespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'A namespace is lower-case letters, digits and -, at most 63 characters.');
export const InstanceName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'Instance names are letters, digits and -, starting with a letter.');

/** An object of exactly these fields: an unknown one is refused by name, never silently dropped. */
export const exactObject = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}.` : undefined,
  });

/** A form field's text as the whole number it spells; anything else ("1e4", "0x50", "-1") stays text, for the schema to refuse. */
export const formInteger = (text: string | undefined): number | string | undefined =>
  text !== undefined && /^[0-9]{1,6}$/.test(text) ? Number(text) : text;

export const LanName = z
  .string()
  .regex(DNS_LABEL, 'A LAN name is a-z, 0-9 and - (at most 63, not starting or ending with -), such as grafana for grafana.local.');

const pem = (label: string) =>
  z
    .string()
    .max(16_000)
    .regex(new RegExp(`^-----BEGIN ${label}-----\\n[A-Za-z0-9+/=\\n]+-----END ${label}-----\\n?$`), `Not a PEM ${label.toLowerCase()}.`);
/** A certificate and its key, as PEM: what Caddy serves an exposure's name with. */
export const SiteTls = exactObject({ certificate: pem('CERTIFICATE'), key: pem('PRIVATE KEY') });
export type SiteTls = z.infer<typeof SiteTls>;

/** An origin only, http(s)://HOST:PORT: no path, query or credentials. */
const Origin = (what: string) =>
  z
    .url({ protocol: /^https?$/, error: `${what} is http(s)://HOST:PORT.` })
    .max(300)
    .refine((u) => {
      const url = URL.parse(u);
      return !!url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    }, `${what} is an origin only: http(s)://HOST:PORT.`);

/** "Sign in with labgate": the dashboard as browsers open it, where Caddy asks it on this host, and the CA of its certificate. */
export const SignIn = exactObject({
  dashboard: Origin("The dashboard's URL"),
  gate: Origin("The sign-in gate's URL"),
  ca: pem('CERTIFICATE'),
});
export type SignIn = z.infer<typeof SignIn>;
