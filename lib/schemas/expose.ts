import { z } from 'zod';
import { canonicalSource } from '@/lib/domain/network/networks';
import { MAX_SOURCES } from '@/lib/domain/firewall/rules';
import { AllowFrom, ForwardId, Port } from './forwards';
import { exactObject, InstanceName, LanName, NamespaceName, ResourceName } from './names';

/** A page shows an Expose's URL as a link: only http(s) to an IPv4 address or a host name, nothing a browser would run. */
export const HttpUrl = z
  .string()
  .max(300)
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/[A-Za-z0-9._~/-]*$/, 'Not an http(s) URL.');

/** What to expose: the Grafana service (found by its label), any service, or an instance's port. */
export const ExposeService = exactObject({ namespace: NamespaceName, name: ResourceName, port: Port.optional() });
export const ExposeInstance = exactObject({ instance: InstanceName, port: Port });
export const ExposeTarget = z.discriminatedUnion('kind', [
  exactObject({ kind: z.literal('grafana'), namespace: NamespaceName.optional(), name: ResourceName.optional() }),
  ExposeService.extend({ kind: z.literal('service') }),
  ExposeInstance.extend({ kind: z.literal('instance') }),
]);
export type ExposeTarget = z.infer<typeof ExposeTarget>;
/** How the exposure is named on the LAN and who may reach it: the dialog's fields, the action's and the annotations' one schema. */
export const ExposeNaming = exactObject({
  lanName: LanName.optional(),
  https: z.boolean().optional(),
  signIn: z.boolean().optional(), // "Sign in with labgate" in front of the HTTPS name
  allowFrom: AllowFrom.optional(),
});
export type ExposeNaming = z.infer<typeof ExposeNaming>;
export const ExposeId = z.string().regex(/^[a-z0-9]{6,24}$/, 'Not an expose id.');

const ServiceType = z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
const StrictPort = z.number().int().min(1).max(65535); // a journal holds numbers, never text

export const ExposeStep = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('service-nodeport'),
    namespace: NamespaceName,
    name: ResourceName,
    port: StrictPort,
    nodePort: StrictPort,
    previous: z.strictObject({ type: ServiceType, nodePort: StrictPort.nullable() }),
    alsoPorts: z.array(StrictPort).max(100).optional(),
  }),
  z.strictObject({
    kind: z.literal('open-forward'),
    listenPort: StrictPort,
    target: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('service'), namespace: NamespaceName, name: ResourceName, port: StrictPort }),
      z.strictObject({ kind: z.literal('instance'), name: InstanceName, port: StrictPort }),
    ]),
    lanName: LanName.optional(),
    https: z.literal(true).optional(),
    signIn: z.literal(true).optional(),
    // Sources as the kernel keeps them, exactly: a journal read back is never normalised, only checked.
    allowFrom: z
      .array(z.string().refine((s) => canonicalSource(s) === s, 'Not a source as the kernel keeps it.'))
      .min(1)
      .max(MAX_SOURCES)
      .optional(),
  }),
]);

// The service's other ports without a nodePort (alsoPorts): Kubernetes gives each one of its choosing, and Undo takes them back.
export type ExposeStep = z.infer<typeof ExposeStep>;

export const ExposePlan = z.strictObject({
  title: z.string().max(200),
  steps: z.array(ExposeStep).max(4),
  listenPort: StrictPort,
  note: z.string().max(300).optional(), // what the plan chose for the person, e.g. another nodePort than the usual one
});
export type ExposePlan = z.infer<typeof ExposePlan>;

/**
 * What an Expose keeps in the host's journal, checked whenever it is read back: crash recovery
 * and Undo act on it, so they trust nothing in it unchecked.
 */
export const ExposeRecord = z.strictObject({
  source: z.literal('annotation').optional(), // made for a Service's labgate.dev/expose (else by a person)
  plan: ExposePlan,
  done: z.array(z.enum(['service-nodeport', 'open-forward'])).max(4),
  forwardId: ForwardId.nullable(),
  url: HttpUrl,
});
export type ExposeRecord = z.infer<typeof ExposeRecord>;
