'use server';

import type { z } from 'zod';
import { formatRange, freeNodePort, nodePortsInUse } from '@/lib/domain/cluster/ports';
import { env } from '@/lib/env';
import { hostClient } from '@/lib/host-api/client';
import { kubeCache } from '@/lib/kube/cache';
import { patchNodeLabels, patchService, setNodeSelector } from '@/lib/kube/mutations';
import type { ActionResult, Outcome } from '@/lib/result';
import { PatchService, PinWorkload, RemoveNodeLabel, SetNodeLabel } from '@/lib/schemas/cluster';
import { formInteger } from '@/lib/schemas/names';
import { finished, invalidInput, withSession } from '@/lib/server/action';

/** A cluster change, recorded in the audit log (the cluster keeps no such log) and finished as every action is. `field`: where the API server's refusal of the value is shown. */
async function recorded<T>(action: string, subject: string, res: Outcome<T>, field?: string): Promise<ActionResult<T>> {
  await hostClient().record({ action, subject, detail: '', result: res.ok ? 'ok' : res.error });
  if (res.ok || res.fieldErrors || !field || res.status !== 422) return finished(res);
  return finished({ ...res, fieldErrors: { [field]: [res.error] } });
}

const formValue = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === 'string' ? v.trim() : undefined;
};

/** Node labels: set (add or change) or remove, guarded by the resourceVersion the person saw. */
export const changeNodeLabel = withSession(async (_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> => {
  const remove = form.get('intent') === 'remove';
  const raw = { node: formValue(form, 'node'), key: formValue(form, 'key'), resourceVersion: formValue(form, 'resourceVersion') };
  const parsed = remove ? RemoveNodeLabel.safeParse(raw) : SetNodeLabel.safeParse({ ...raw, value: formValue(form, 'value') ?? '' });
  if (!parsed.success) return invalidInput(parsed.error);
  const { node, key } = parsed.data;
  const value = remove ? null : (parsed.data as z.infer<typeof SetNodeLabel>).value;
  return recorded(
    remove ? 'node.label.remove' : 'node.label.set',
    `${node} ${key}${value !== null ? `=${value}` : ''}`,
    await patchNodeLabels(node, { [key]: value }, parsed.data.resourceVersion),
  );
});

/** A Service's type, first nodePort and traffic policy; the nodePort is checked against the range and the other services first. */
export const changeService = withSession(async (_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> => {
  const port = formValue(form, 'port');
  const nodePort = formValue(form, 'nodePort');
  const parsed = PatchService.safeParse({
    namespace: formValue(form, 'namespace'),
    name: formValue(form, 'name'),
    type: formValue(form, 'type'),
    nodePorts: port && nodePort ? { [port]: formInteger(nodePort) } : {},
    externalTrafficPolicy: formValue(form, 'externalTrafficPolicy') || undefined,
    resourceVersion: formValue(form, 'resourceVersion'),
  });
  if (!parsed.success) return invalidInput(parsed.error, { nodePorts: 'nodePort' });
  const s = parsed.data;
  const subject = `${s.namespace}/${s.name} ${s.type}`;
  const wanted = Object.values(s.nodePorts)[0];
  // Only what the person changed is sent; nothing changed, nothing is sent.
  const current = kubeCache()
    .snapshot()
    .services.find((x) => x.namespace === s.namespace && x.name === s.name);
  const samePolicy = (s.externalTrafficPolicy ?? current?.externalTrafficPolicy) === current?.externalTrafficPolicy;
  if (current && current.type === s.type && wanted === undefined && samePolicy)
    return { ok: false, error: `Nothing to save: ${s.namespace}/${s.name} already has these settings.` };
  if (wanted) {
    // Refused here, before Kubernetes is asked: recorded in the audit log all the same.
    const range = env().nodePortRange;
    if (wanted < range.from || wanted > range.to)
      return recorded('service.patch', subject, {
        ok: false,
        status: 422,
        error: `nodePort ${wanted} is outside the cluster's range ${formatRange(range)}.`,
        fieldErrors: { nodePort: [`Use a port in ${formatRange(range)}.`] },
      });
    const used = nodePortsInUse(kubeCache().snapshot().services, s);
    if (used.has(wanted))
      return recorded('service.patch', subject, {
        ok: false,
        status: 409,
        error: `nodePort ${wanted} is taken by another service.`,
        fieldErrors: { nodePort: [`Taken; ${freeNodePort(wanted, range, used) ?? 'no other'} is free.`] },
      });
  }
  const nodePorts = Object.fromEntries(Object.entries(s.nodePorts).map(([k, v]) => [Number(k), v]));
  return recorded(
    'service.patch',
    subject,
    await patchService(s.namespace, s.name, {
      type: s.type,
      nodePorts,
      externalTrafficPolicy: s.externalTrafficPolicy,
      resourceVersion: s.resourceVersion,
    }),
    'nodePort',
  );
});

/** Pin a Deployment or StatefulSet to the nodes a label selects, or clear its nodeSelector. */
export const pinWorkload = withSession(async (_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> => {
  const [kind, namespace, name] = (formValue(form, 'workload') ?? '').split('/');
  const clear = form.get('intent') === 'clear';
  const key = formValue(form, 'key') ?? '';
  const parsed = PinWorkload.safeParse({ kind, namespace, name, nodeSelector: clear ? null : { [key]: formValue(form, 'value') ?? '' } });
  if (!parsed.success) return invalidInput(parsed.error, { nodeSelector: 'key' });
  const p = parsed.data;
  const current = kubeCache()
    .snapshot()
    .workloads.find((w) => w.kind === p.kind && w.namespace === p.namespace && w.name === p.name);
  if (current && JSON.stringify(current.nodeSelector) === JSON.stringify(p.nodeSelector ?? {}))
    return { ok: false, error: `Nothing to save: ${p.namespace}/${p.name} is ${clear ? 'not pinned' : 'pinned so already'}.` };
  return recorded(
    clear ? 'workload.unpin' : 'workload.pin',
    `${p.kind} ${p.namespace}/${p.name}`,
    await setNodeSelector(p.kind, p.namespace, p.name, p.nodeSelector),
  );
});
