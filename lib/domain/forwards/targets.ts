import type { ForwardStatus } from './forward';
import { instanceState } from '../cluster/instances';
import { selectorMatches } from '../cluster/joins';
import { shown, targetProblem, type TargetPolicy } from '../network/networks';
import type { InstanceRecord, NodeRecord, PodRecord, ServiceRecord } from '../records';
import type { ForwardTarget } from '@/lib/schemas/forwards';

/** What target resolution knows; null where the source is unreachable right now. */
export interface TargetContext {
  instances: readonly InstanceRecord[] | null;
  cluster: { nodes: readonly NodeRecord[]; pods: readonly PodRecord[]; services: readonly ServiceRecord[] } | null;
  policy: TargetPolicy; // re-checked on every resolution: nodes and VMs report their own addresses
}

export type Resolution =
  | { ok: true; targetIP: string; targetPort: number; node: string | null }
  // unreachable: a dependency is down, not a fact about the target; stale: the target is there
  // but cannot take traffic now (a stopped instance) — a forward to it is kept, marked stale.
  | { ok: false; reason: string; unreachable: boolean; stale?: true };

/**
 * Where a forward should point now. A service target goes to its nodePort on a Ready node that
 * runs one of its ready pods and reports an allowed address, keeping the current node while it
 * still qualifies. Every address is held to the target policy, whoever reported it. Pure.
 */
export function resolveTarget(target: ForwardTarget, ctx: TargetContext, current: Pick<ForwardStatus, 'node'> | null): Resolution {
  switch (target.kind) {
    case 'static': {
      const problem = targetProblem(target.ip, ctx.policy);
      if (problem) return { ok: false, reason: `The target ${shown(target.ip)} is ${problem}.`, unreachable: false };
      return { ok: true, targetIP: target.ip, targetPort: target.port, node: null };
    }
    case 'instance': {
      if (!ctx.instances) return { ok: false, reason: 'Multipass is not answering.', unreachable: true };
      const vm = ctx.instances.find((i) => i.name === target.name);
      if (!vm) return { ok: false, reason: `Multipass has no instance "${target.name}".`, unreachable: false };
      // The first address is the management one, on Multipass's bridge; the others (cni0,
      // flannel, VIPs) belong to what runs inside and are never targeted.
      const address = vm.ipv4[0];
      if (!instanceState(vm.state).running)
        return {
          ok: false,
          reason: `Instance ${target.name} is ${vm.state.toLowerCase()}: it takes traffic again once it runs.`,
          unreachable: false,
          stale: true,
        };
      if (!address)
        return { ok: false, reason: `Instance ${target.name} runs but reports no address yet.`, unreachable: false, stale: true };
      const problem = targetProblem(address, ctx.policy);
      if (problem)
        return { ok: false, reason: `Instance ${target.name} reports address ${shown(address)}, ${problem}.`, unreachable: false };
      return { ok: true, targetIP: address, targetPort: target.port, node: null };
    }
    case 'service': {
      if (!ctx.cluster) return { ok: false, reason: 'The Kubernetes API server is not answering.', unreachable: true };
      const name = `${target.namespace}/${target.name}`;
      const svc = ctx.cluster.services.find((s) => s.namespace === target.namespace && s.name === target.name);
      if (!svc) return { ok: false, reason: `Service ${name} does not exist.`, unreachable: false };
      const port = svc.ports.find((p) => p.port === target.port || p.nodePort === target.port);
      if (!port) return { ok: false, reason: `Service ${name} has no port ${target.port}.`, unreachable: false };
      if (!port.nodePort)
        return { ok: false, reason: `Service ${name} is ${svc.type}: port ${port.port} has no nodePort.`, unreachable: false };
      const ready = new Map(ctx.cluster.nodes.filter((n) => n.ready && n.internalIP).map((n) => [n.name, n.internalIP!]));
      const withPods = [
        ...new Set(
          ctx.cluster.pods
            .filter(
              (p) =>
                p.namespace === svc.namespace &&
                p.ready &&
                !p.terminating &&
                p.nodeName &&
                ready.has(p.nodeName) &&
                selectorMatches(svc.selector, p.labels),
            )
            .map((p) => p.nodeName!),
        ),
      ].sort();
      const candidates = withPods.filter((n) => !targetProblem(ready.get(n)!, ctx.policy));
      const node = current?.node && candidates.includes(current.node) ? current.node : candidates[0];
      if (!node) {
        const refused = withPods.map((n) => `${n} reports InternalIP ${shown(ready.get(n)!)}, ${targetProblem(ready.get(n)!, ctx.policy)}`);
        return {
          ok: false,
          reason: refused.length ? `${refused.join('; ')}.` : `Service ${name} has no ready pod on a Ready node.`,
          unreachable: false,
        };
      }
      return { ok: true, targetIP: ready.get(node)!, targetPort: port.nodePort, node };
    }
  }
}
