import { MAX_SOURCES } from '../firewall/rules';
import { DNS_LABEL } from '../network/lan-names';
import { canonicalSource, splitSources } from '../network/networks';

/**
 * Expose by annotation: a Service says it wants to be on the LAN, GitOps-style, with nothing of
 * labgate's state in the browser. Annotations come from whoever may edit the Service: untrusted,
 * each value checked; a bad one is reported, never acted on.
 */
export const EXPOSE_ANNOTATIONS = {
  expose: 'labgate.dev/expose', // "true"
  port: 'labgate.dev/port', // which service port (default: its first)
  name: 'labgate.dev/name', // published on the LAN as NAME.local
  https: 'labgate.dev/https', // "true": https://NAME.local/ through labgate's TLS terminator (needs a name)
  allowFrom: 'labgate.dev/allow-from', // "192.168.50.10, 192.168.50.0/28": only these may reach it
  signIn: 'labgate.dev/sign-in', // "true": only people signed in to labgate (needs HTTPS)
} as const;

export type ExposeAnnotation =
  | { port: number | null; name: string | null; https: boolean; signIn: boolean; allowFrom?: string[] } // allowFrom: only when an access rule is asked
  | { error: string };

const shown = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/** What a Service's annotations ask: null when it asks nothing (no labgate.dev/expose, or "false"). */
export function exposeAnnotation(annotations: Readonly<Record<string, string>>): ExposeAnnotation | null {
  const expose = annotations[EXPOSE_ANNOTATIONS.expose];
  if (expose === undefined || expose === 'false') return null;
  if (expose !== 'true') return { error: `${EXPOSE_ANNOTATIONS.expose} is ${shown(expose)}: use "true" or "false".` };
  const port = annotations[EXPOSE_ANNOTATIONS.port];
  if (port !== undefined && !(/^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))
    return { error: `${EXPOSE_ANNOTATIONS.port} is ${shown(port)}: use one of the Service's port numbers.` };
  const name = annotations[EXPOSE_ANNOTATIONS.name];
  if (name !== undefined && !DNS_LABEL.test(name))
    return { error: `${EXPOSE_ANNOTATIONS.name} is ${shown(name)}: use a DNS label (a-z, 0-9 and -, at most 63).` };
  const https = annotations[EXPOSE_ANNOTATIONS.https];
  if (https !== undefined && https !== 'false' && https !== 'true')
    return { error: `${EXPOSE_ANNOTATIONS.https} is ${shown(https)}: use "true" or "false".` };
  if (https === 'true' && name === undefined)
    return { error: `${EXPOSE_ANNOTATIONS.https} needs ${EXPOSE_ANNOTATIONS.name}: the certificate is for that name (NAME.local).` };
  const signIn = annotations[EXPOSE_ANNOTATIONS.signIn];
  if (signIn !== undefined && signIn !== 'false' && signIn !== 'true')
    return { error: `${EXPOSE_ANNOTATIONS.signIn} is ${shown(signIn)}: use "true" or "false".` };
  if (signIn === 'true' && https !== 'true')
    return {
      error: `${EXPOSE_ANNOTATIONS.signIn} needs ${EXPOSE_ANNOTATIONS.https}: "true": the sign-in's cookie is for https://NAME.local/ only.`,
    };
  const listed = annotations[EXPOSE_ANNOTATIONS.allowFrom];
  const sources = listed === undefined ? null : splitSources(listed);
  const allowFrom = sources?.map(canonicalSource);
  if (sources && (!sources.length || sources.length > MAX_SOURCES || allowFrom!.some((s) => s === null)))
    return {
      error: `${EXPOSE_ANNOTATIONS.allowFrom} is ${shown(listed!)}: list 1 to ${MAX_SOURCES} IPv4 addresses or networks (such as 192.168.50.10, 192.168.50.0/24), separated by commas.`,
    };
  return {
    port: port === undefined ? null : Number(port),
    name: name ?? null,
    https: https === 'true',
    signIn: signIn === 'true',
    ...(allowFrom ? { allowFrom: [...new Set(allowFrom as string[])] } : {}),
  };
}

/** Only labgate's own annotations are kept from a Service: all the rest is none of its business (and memory). */
export function labgateAnnotations(annotations: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => k.startsWith('labgate.dev/')));
}
