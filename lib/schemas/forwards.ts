import { z } from 'zod';
import { canonicalSource } from '@/lib/domain/network/networks';
import { MAX_SOURCES } from '@/lib/domain/firewall/rules';
import { exactObject, InstanceName, LanName, NamespaceName, ResourceName, SignIn, SiteTls } from './names';

/**
 * One forward model for store, host API, actions and forms. Anything that could end up in an
 * iptables-restore line is held to a strict character set here.
 */
export const SafeText = z.string().regex(/^[A-Za-z0-9 ._:/,()-]*$/, 'Use letters, digits, spaces and . _ : / , ( ) - only.');

export const ForwardId = z.string().regex(/^[a-z0-9]{6,20}$/, 'A forward id is 6-20 lower-case letters and digits.');
// A number, never coerced: true, [31556] or "1e4" are not ports (forms read their fields with formInteger).
export const Port = z
  .number({ error: 'Enter a port number.' })
  .int('A port is a whole number.')
  .min(1, 'Ports run from 1 to 65535.')
  .max(65535, 'Ports run from 1 to 65535.');
export const Protocol = z.enum(['tcp', 'udp'], { error: 'The protocol is tcp or udp.' });
export const Ipv4 = z.ipv4({ error: 'Enter an IPv4 address such as 10.120.52.23.' });

export const ForwardTarget = z.discriminatedUnion(
  'kind',
  [
    exactObject({ kind: z.literal('static'), ip: Ipv4, port: Port }),
    exactObject({ kind: z.literal('instance'), name: InstanceName, port: Port }),
    exactObject({
      kind: z.literal('service'),
      namespace: NamespaceName,
      name: ResourceName.max(63, 'A Service name has at most 63 characters.'),
      port: Port,
    }),
  ],
  { error: 'Choose a target: an address, an instance or a service.' },
);
export type ForwardTarget = z.infer<typeof ForwardTarget>;

/** One source of an access rule: an address or a network, kept as the kernel keeps it (192.168.50.7/24 is 192.168.50.0/24). */
export const Source = z.string({ error: 'Enter an address or a network.' }).transform((value, ctx) => {
  const source = canonicalSource(value.trim());
  if (source) return source;
  ctx.addIssue({
    code: 'custom',
    message: `${value.trim().slice(0, 40) || 'An empty entry'} is not an IPv4 address or network such as 192.168.50.10 or 192.168.50.0/24 (no wider than /8).`,
  });
  return z.NEVER;
});

/** Who may reach a forward: only these sources (and the host itself); without one, everyone on the LAN. */
export const AllowFrom = z
  .array(Source, { error: 'List the addresses or networks that may reach it.' })
  .min(1, 'List at least one address or network, or let everyone on the LAN in.')
  .max(MAX_SOURCES, `At most ${MAX_SOURCES} addresses or networks.`)
  .transform((sources) => [...new Set(sources)]);

export const CreateForward = exactObject({
  name: z
    .string({ error: 'Give the forward a name.' })
    .trim()
    .min(1, 'Give the forward a name.')
    .max(48, 'At most 48 characters.')
    .pipe(SafeText),
  protocol: Protocol.default('tcp'),
  listenPort: Port,
  listenAddress: Ipv4.optional(),
  target: ForwardTarget,
  description: z.string().max(200, 'At most 200 characters.').pipe(SafeText).default(''),
  lanName: LanName.optional(), // published as lanName.local
  tls: SiteTls.optional(), // HTTPS at https://lanName.local/ (Caddy in front), certificate from labgate's CA
  allowFrom: AllowFrom.optional(), // who may reach it; none: everyone on the LAN
  signIn: SignIn.optional(), // HTTPS only: people sign in with labgate before Caddy lets them in
});
export type CreateForward = z.infer<typeof CreateForward>;

export const UpdateForward = CreateForward.partial().extend({
  id: ForwardId,
  lanName: LanName.nullable().optional(), // null takes the name away (and HTTPS with it)
  tls: SiteTls.nullable().optional(), // null: plain HTTP again
  allowFrom: AllowFrom.nullable().optional(), // null: everyone on the LAN again
  signIn: SignIn.nullable().optional(), // null: no sign-in again
});
export type UpdateForward = z.infer<typeof UpdateForward>;

export const AdoptRule = exactObject({
  ruleKey: z.string().min(1).max(2000),
  confirm: z.literal(true, { error: 'Confirm that labgate may remove the hand-made rules.' }),
  // Needed when the hand-made rules match less than labgate's forward would (a source, another interface).
  widen: z.literal(true).optional(),
});
