import type { ForwardTarget } from '@/lib/schemas/forwards';

/** A forward as stored: what the person asked for. */
export interface Forward {
  id: string;
  name: string;
  protocol: 'tcp' | 'udp';
  listenPort: number;
  listenAddress: string | null;
  target: ForwardTarget;
  description: string;
  lanName: string | null; // published on the LAN as lanName.local
  https: boolean; // Caddy serves https://lanName.local/ in front of it
  httpsUntil: string | null; // the end of its certificate (ISO), which labgate renews before
  allowFrom: string[] | null; // who may reach it: these sources (CIDRs, canonical), or null for everyone on the LAN
  requiresSignIn: boolean; // HTTPS with "Sign in with labgate" in front
  createdBy: string;
  createdAt: string;
}

export type ForwardState = 'applied' | 'pending' | 'stale' | 'error';

/** Where a forward points now, and how sure labgate is of it. */
export interface ForwardStatus {
  state: ForwardState;
  targetIP: string | null;
  targetPort: number | null;
  node: string | null; // for service targets: the node it points at
  reason: string | null;
  updatedAt: string;
}

/** A forward with a concrete address to send traffic to: what the rules are rendered from. */
export interface ResolvedForward {
  id: string;
  protocol: 'tcp' | 'udp';
  listenPort: number;
  listenAddress: string | null;
  targetIP: string;
  targetPort: number;
  allowFrom: readonly string[] | null; // only these sources are forwarded (and the host itself); null: everyone
}
