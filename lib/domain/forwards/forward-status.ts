import type { Forward, ForwardStatus, ResolvedForward } from './forward';
import { targetProblem, type TargetPolicy } from '../network/networks';
import { forwardRuleProblem } from '../firewall/rules';
import type { Resolution } from './targets';

/** A forward's status as a pass decides it, before it is stored. */
export type NextStatus = Omit<ForwardStatus, 'updatedAt'>;

type Rendered = Pick<Forward, 'id' | 'protocol' | 'listenPort' | 'listenAddress' | 'allowFrom'>;
const rendered = (f: Rendered, targetIP: string, targetPort: number): ResolvedForward => ({
  id: f.id,
  protocol: f.protocol,
  listenPort: f.listenPort,
  listenAddress: f.listenAddress,
  targetIP,
  targetPort,
  allowFrom: f.allowFrom,
});

/**
 * One forward's status from its target's resolution: applied where the resolved target is
 * allowed and can be written; otherwise it keeps its last safe target — stale while a source is
 * unreachable or the target cannot take traffic, an error when the target is wrong — or, with
 * no safe target to keep, an error and no rule. A target is only ever kept when it passes the
 * policy and the renderer's checks now: never dropped because something is down, never kept
 * when it is no longer allowed. Pure.
 */
export function decideStatus(
  f: Rendered & Pick<Forward, 'name'>,
  r: Resolution,
  current: Pick<ForwardStatus, 'targetIP' | 'targetPort' | 'node'> | null,
  policy: TargetPolicy,
): NextStatus {
  const safe = (ip: string | null | undefined, port: number | null | undefined): boolean =>
    !!ip && !!port && !targetProblem(ip, policy) && !forwardRuleProblem(rendered(f, ip, port));
  if (r.ok && safe(r.targetIP, r.targetPort))
    return { state: 'applied', targetIP: r.targetIP, targetPort: r.targetPort, node: r.node, reason: null };
  const reason = r.ok
    ? `Forward ${f.name} cannot be written: ${forwardRuleProblem(rendered(f, r.targetIP, r.targetPort)) ?? 'its target is not allowed'}.`
    : r.reason;
  if (safe(current?.targetIP, current?.targetPort))
    return {
      state: !r.ok && (r.unreachable || r.stale) ? 'stale' : 'error',
      targetIP: current!.targetIP,
      targetPort: current!.targetPort,
      node: current!.node,
      reason,
    };
  return { state: 'error', targetIP: null, targetPort: null, node: null, reason };
}

export const sameStatus = (a: ForwardStatus | undefined, b: NextStatus): boolean =>
  !!a && a.state === b.state && a.targetIP === b.targetIP && a.targetPort === b.targetPort && a.node === b.node && a.reason === b.reason;

/** The rules the kernel holds for these forwards: each at the target its status names, where it has one that can be written. Pure. */
export function storedRules(forwards: readonly Rendered[], statuses: ReadonlyMap<string, NextStatus>): ResolvedForward[] {
  return forwards.flatMap((f) => {
    const s = statuses.get(f.id);
    if (!s?.targetIP || !s.targetPort) return [];
    const r = rendered(f, s.targetIP, s.targetPort);
    return forwardRuleProblem(r) ? [] : [r];
  });
}
