import { HTTPS_NEEDS_NAME, mdnsName, SIGN_IN_NEEDS_HTTPS } from '../network/lan-names';
import { shownSource } from '../network/networks';
import type { ServiceRecord } from '../records';
import type { ExposePlan, ExposeStep } from '@/lib/schemas/expose';

/**
 * The steps of an Expose, shown before anything changes and kept in the journal to undo, and its
 * plan: their one definition is the journal's schema (a type only: nothing of zod runs here).
 */
export type { ExposePlan, ExposeStep } from '@/lib/schemas/expose';

/** The plan's forward step: what an Expose opens, names and journals. */
export function openStep(plan: ExposePlan): Extract<ExposeStep, { kind: 'open-forward' }> | undefined {
  return plan.steps.find((s): s is Extract<ExposeStep, { kind: 'open-forward' }> => s.kind === 'open-forward');
}

/** How an exposure is named on the LAN (and whether HTTPS goes in front), chosen in the dialog or by annotation. */
export interface ExposeNaming {
  lanName?: string;
  https?: boolean;
  signIn?: boolean; // only people signed in to labgate (HTTPS only)
  allowFrom?: string[]; // only these sources may reach it (none: everyone on the LAN)
}

export function describeStep(s: ExposeStep): string {
  if (s.kind === 'service-nodeport') {
    return s.previous.type === 'NodePort' || s.previous.type === 'LoadBalancer'
      ? `Keep Service ${s.namespace}/${s.name} as ${s.previous.type} with nodePort ${s.nodePort}`
      : `Make Service ${s.namespace}/${s.name} a NodePort with nodePort ${s.nodePort} (now ${s.previous.type})${
          s.alsoPorts?.length
            ? `; Kubernetes also gives port${s.alsoPorts.length === 1 ? '' : 's'} ${s.alsoPorts.join(', ')} a nodePort of its choosing`
            : ''
        }`;
  }
  const open =
    s.target.kind === 'service'
      ? `Open host port ${s.listenPort} to service ${s.target.namespace}/${s.target.name}, following its pod`
      : `Open host port ${s.listenPort} to instance ${s.target.name}:${s.target.port}, following its address`;
  const access = s.allowFrom ? `; open only to ${s.allowFrom.map(shownSource).join(', ')} (and this host)` : '';
  if (!s.lanName) return `${open}${access}`;
  const https = s.https ? `; serve https://${mdnsName(s.lanName)}/ with a certificate from labgate's CA` : '';
  const signIn = s.signIn ? '; let in only people signed in to labgate' : '';
  return `${open}; publish ${mdnsName(s.lanName)} on the LAN${https}${access}${signIn}`;
}

/** The plan with its forward named (and HTTPS in front), or why not. Pure. */
export function namePlan(plan: ExposePlan, naming: ExposeNaming): ExposePlan | { error: string } {
  if (naming.https && !naming.lanName) return { error: HTTPS_NEEDS_NAME };
  if (naming.signIn && !naming.https) return { error: SIGN_IN_NEEDS_HTTPS };
  if (!naming.lanName && !naming.allowFrom) return plan;
  return {
    ...plan,
    steps: plan.steps.map((s) =>
      s.kind === 'open-forward'
        ? {
            ...s,
            ...(naming.lanName ? { lanName: naming.lanName } : {}),
            ...(naming.lanName && naming.https ? { https: true as const } : {}),
            ...(naming.lanName && naming.https && naming.signIn ? { signIn: true as const } : {}),
            ...(naming.allowFrom ? { allowFrom: naming.allowFrom } : {}),
          }
        : s,
    ),
  };
}

/**
 * Expose a service: make its port a NodePort (the wanted one, or the next free) unless it is
 * one already, then open the host's same port to it. Pure.
 */
export function planServiceExpose(
  svc: ServiceRecord,
  servicePort: number | undefined,
  nodePort: number,
  name: string,
): ExposePlan | { error: string } {
  const port = servicePort === undefined ? svc.ports[0] : svc.ports.find((p) => p.port === servicePort);
  if (!port) return { error: `Service ${svc.namespace}/${svc.name} has no port ${servicePort ?? ''}.`.replace(/ \.$/, '.') };
  if (port.protocol !== 'TCP')
    return { error: `Port ${port.port} of ${svc.namespace}/${svc.name} is ${port.protocol}; Expose opens TCP ports.` };
  const isNodePort = (svc.type === 'NodePort' || svc.type === 'LoadBalancer') && port.nodePort !== null;
  const chosen = isNodePort ? port.nodePort! : nodePort;
  // Once the type is NodePort, every port has a nodePort: the others get theirs from the cluster.
  const alsoPorts = svc.ports.filter((p) => p !== port && p.nodePort === null).map((p) => p.port);
  return {
    title: `Expose ${name} on the LAN`,
    listenPort: chosen,
    steps: [
      {
        kind: 'service-nodeport',
        namespace: svc.namespace,
        name: svc.name,
        port: port.port,
        nodePort: chosen,
        previous: { type: svc.type, nodePort: port.nodePort },
        ...(isNodePort || !alsoPorts.length ? {} : { alsoPorts }),
      },
      { kind: 'open-forward', listenPort: chosen, target: { kind: 'service', namespace: svc.namespace, name: svc.name, port: port.port } },
    ],
  };
}
