import 'server-only';
import { env } from '@/lib/env';
import { kubeCache } from '@/lib/kube/cache';
import { multipassWatcher } from '@/lib/multipass/watcher';
import { db } from '@/lib/store/db';
import { CaddyAdmin } from './caddy';
import type { HostDeps, HostFacts, TargetSources } from './deps';
import { Firewall } from './firewall/firewall';
import { detectBackend, execRunner } from './firewall/runner';
import { handMadeOn, hostAddresses, hostNetwork, ipForwardEnabled, lanAddress, multipassBridges, portInUseOnHost } from './hostinfo';
import { AvahiNames } from './lan-names';
import { installId } from './owner';
import { HostService } from './service';
import { processSlot } from '@/lib/process-wide';

// The host role's process wiring: its one service, on this process's store, cache, watcher and kernel.
const service = processSlot<Promise<HostService>>('hostService');

/** The host role's parts in this process: its store, cache, watcher and kernel (the iptables backend detected). */
export async function liveHostDeps(): Promise<HostDeps> {
  const backend = await detectBackend();
  return {
    db: db(),
    firewall: new Firewall(execRunner(backend), installId(db())),
    sources: liveSources,
    facts: liveFacts,
    settings: env(),
    names: new AvahiNames(),
    tlsProxy: new CaddyAdmin(env().caddyAdmin),
  };
}

/** The host role's one service. */
export function hostService(): Promise<HostService> {
  let held = service.get();
  if (!held) {
    held = liveHostDeps().then(
      (deps) => new HostService(deps),
      (e: unknown) => {
        service.set(undefined); // a store that could not be opened is tried again at the next call
        throw e;
      },
    );
    service.set(held);
  }
  return held;
}

const liveSources: TargetSources = {
  ready: async () => void (await Promise.all([kubeCache().ready(), multipassWatcher().ready()])),
  context: () => {
    const kube = kubeCache();
    const mp = multipassWatcher().snapshot();
    const snap = kube.snapshot();
    return {
      instances: mp.error ? null : mp.instances,
      cluster: kube.getStatus().reachable ? { nodes: snap.nodes, pods: snap.pods, services: snap.services } : null,
    };
  },
  changed: (timeoutMs) =>
    new Promise((resolve) => {
      const done = () => {
        stop();
        clearTimeout(timer);
        resolve();
      };
      const stop = kubeCache().onChange(done);
      const timer = setTimeout(done, timeoutMs);
    }),
};

const liveFacts: HostFacts = {
  network: hostNetwork,
  lanAddress,
  // Where targets may be: the bridges' subnets and LABGATE_ALLOWED_NETWORKS — never where a node merely says it is.
  policy: () => ({ networks: [...multipassBridges().map((b) => b.cidr), ...env().allowedNetworks], hostAddresses: hostAddresses() }),
  ipForward: ipForwardEnabled,
  portInUse: portInUseOnHost,
  handMade: handMadeOn,
};
