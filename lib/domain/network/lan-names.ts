/** Names on the LAN: NAME.local, published by the host's mDNS responder (avahi-daemon). Pure. */

/** A DNS label: what a name on the LAN (NAME.local) may be. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const mdnsName = (label: string) => `${label}.local`;

/** Said wherever HTTPS is asked without a name: the form, the dialog, the host API. */
export const HTTPS_NEEDS_NAME = 'HTTPS needs a name on the LAN (its certificate is for that name).';
/** Said wherever sign-in is asked without HTTPS. */
export const SIGN_IN_NEEDS_HTTPS = 'Sign in with labgate needs HTTPS: its cookie is for https://NAME.local/ only.';

/** What to offer when a name is taken: grafana → grafana-2, grafana-2 → grafana-3 (as avahi's own alternatives go). */
export function alternativeName(label: string): string {
  const m = /^(.*)-(\d{1,6})$/.exec(label);
  const next = m ? `${m[1]}-${Number(m[2]) + 1}` : `${label}-2`;
  return next.length <= 63 ? next : `${label.slice(0, 61).replace(/-+$/, '')}-2`;
}

export type PublishEvent = { kind: 'established' } | { kind: 'collision' } | { kind: 'failure'; message: string } | null;

/**
 * One line of `avahi-publish -v`'s output (avahi-utils/avahi-publish.c): established, a
 * collision (it would pick another name by itself; labgate refuses instead), or a failure.
 */
export function publishEvent(line: string): PublishEvent {
  if (/^Established under name /.test(line)) return { kind: 'established' };
  if (/^Name collision/.test(line) || /Local name collision/.test(line)) return { kind: 'collision' };
  const failed = /^(Failed to [^:]+|Client failure, exiting): (.+)$/.exec(line);
  if (failed) return { kind: 'failure', message: failed[2]! };
  return null;
}

/** Why publishing failed, said so a person can act on it. */
export function publishProblem(message: string): string {
  if (/Daemon not running|Disconnected/i.test(message))
    return `avahi-daemon is not running, so no name can be published on the LAN (${message}). Start it: systemctl enable --now avahi-daemon`;
  return `avahi-daemon refused the name: ${message}.`;
}
