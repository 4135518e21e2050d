import 'server-only';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Forward } from '@/lib/domain/forwards/forward';
import { HTTPS_NEEDS_NAME, mdnsName, SIGN_IN_NEEDS_HTTPS } from '@/lib/domain/network/lan-names';
import { resolveTarget, type Resolution } from '@/lib/domain/forwards/targets';
import { fail, type Outcome } from '@/lib/result';
import type { CreateForward } from '@/lib/schemas/forwards';
import type { HostParts } from './deps';
import { readKernel } from './drift';

/** The host address a forward takes traffic on: its own listen address, else the LAN's. */
export const addressOf = (parts: HostParts, f: { listenAddress?: string | null }): string | null =>
  f.listenAddress ?? parts.facts.lanAddress();

/** A name and its certificate, checked before anything is published or written. */
function nameProblem(parts: HostParts, input: CreateForward, exceptId: string | null): Outcome<never> | null {
  const refuse = (field: 'lanName' | 'tls' | 'signIn', message: string) => fail(422, message, { [field]: [message] });
  if (input.tls && !input.lanName) return refuse('tls', HTTPS_NEEDS_NAME);
  if (input.signIn && !input.tls) return refuse('signIn', SIGN_IN_NEEDS_HTTPS);
  if (!input.lanName) return null;
  if (input.lanName === parts.dashboardName) return refuse('lanName', `${mdnsName(input.lanName)} is the dashboard's own name.`);
  if (!addressOf(parts, input)) return refuse('lanName', 'This host has no LAN address to publish the name with.');
  if (input.tls) {
    if (input.protocol !== 'tcp') return refuse('tls', 'HTTPS is for TCP forwards.');
    const clash = parts.store.list().find((f) => f.id !== exceptId && f.https && f.lanName === input.lanName);
    if (clash) return refuse('lanName', `https://${mdnsName(input.lanName)}/ is already served for "${clash.name}".`);
    try {
      const cert = new X509Certificate(input.tls.certificate);
      if (!cert.checkHost(mdnsName(input.lanName))) return refuse('tls', `The certificate is not for ${mdnsName(input.lanName)}.`);
      if (!cert.checkPrivateKey(createPrivateKey(input.tls.key))) return refuse('tls', 'The key does not belong to the certificate.');
      if (new Date(cert.validTo).getTime() <= Date.now()) return refuse('tls', 'The certificate has expired.');
    } catch {
      return refuse('tls', 'The certificate or its key cannot be read.');
    }
  }
  return null;
}

/** Publishes a forward's new name before anything is written: a name taken on the LAN is refused, with an alternative. */
export async function claimName(parts: HostParts, input: CreateForward, before: Forward | null): Promise<Outcome<null>> {
  if (!input.lanName) return { ok: true, data: null };
  const address = addressOf(parts, input)!;
  if (before?.lanName === input.lanName && addressOf(parts, before) === address) return { ok: true, data: null };
  const claimed = await parts.names.claim(input.lanName, address);
  return claimed.ok ? claimed : fail(claimed.status, claimed.error, { lanName: [claimed.error] });
}

/** Checks a new or changed forward against the host before anything is written. */
export async function checkForward(
  parts: HostParts,
  input: CreateForward,
  exceptId: string | null,
): Promise<Outcome<Resolution & { ok: true }>> {
  const badName = nameProblem(parts, input, exceptId);
  if (badName) return badName;
  await parts.sources.ready();
  if (parts.facts.ipForward() === false) {
    return fail(
      409,
      'IP forwarding is off on this host, so no forward can reach a VM. Turn it on: sysctl -w net.ipv4.ip_forward=1 (and set it in /etc/sysctl.d to keep it).',
    );
  }
  const clash = parts.store
    .list()
    .find(
      (f) =>
        f.id !== exceptId &&
        f.protocol === input.protocol &&
        f.listenPort === input.listenPort &&
        (!f.listenAddress || !input.listenAddress || f.listenAddress === input.listenAddress),
    );
  if (clash)
    return fail(409, `Port ${input.listenPort}/${input.protocol} is already forwarded by "${clash.name}".`, {
      listenPort: [`Already used by the forward "${clash.name}".`],
    });
  const current = exceptId ? parts.store.get(exceptId) : null;
  const samePort = current && current.listenPort === input.listenPort && current.protocol === input.protocol;
  if (!samePort && parts.facts.portInUse(input.protocol, input.listenPort)) {
    return fail(409, `Port ${input.listenPort}/${input.protocol} is in use by a program on this host.`, {
      listenPort: ['A program on this host listens on this port.'],
    });
  }
  const save = await readKernel(parts.firewall);
  if (!save.ok) return save;
  const handMade = parts.facts.handMade(save.data).find((h) => h.protocol === input.protocol && h.listenPort === input.listenPort);
  if (handMade) {
    return fail(
      409,
      `A hand-made rule already forwards port ${input.listenPort} to ${handMade.targetIP}:${handMade.targetPort}; adopt it instead of adding another.`,
      { listenPort: ['A hand-made rule forwards this port.'] },
    );
  }
  const resolve = () => resolveTarget(input.target, parts.context(), exceptId ? (parts.store.statuses().get(exceptId) ?? null) : null);
  let r = resolve();
  const until = Date.now() + parts.targetSettleMs;
  while (!r.ok && !r.unreachable && input.target.kind === 'service' && Date.now() < until) {
    await parts.sources.changed(until - Date.now());
    r = resolve();
  }
  if (!r.ok) return fail(r.unreachable ? 503 : 422, r.reason, { target: [r.reason] });
  return { ok: true, data: r };
}
