'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { currentSession } from '@/lib/auth/request';
import { freeNodePort, nodePortsInUse, parseRange } from '@/lib/domain/ports';
import { env } from '@/lib/env';
import { hostClient } from '@/lib/host/client';
import { kubeCache } from '@/lib/kube/cache';
import { patchNodeLabels, patchService, setNodeSelector } from '@/lib/kube/mutations';
import type { ActionResult, Outcome } from '@/lib/result';
import { isSystemLabel, PatchService, PinWorkload, RemoveNodeLabel, SetNodeLabel } from '@/lib/schemas/cluster';

const noSession: ActionResult<never> = { ok: false, error: 'Your session has ended: log in again.' };

/** Field errors by form field; `rename` maps schema paths onto the form's names. */
function invalid(err: z.ZodError, rename: Record<string, string> = {}): ActionResult<never> {
  const fieldErrors: Record<string, string[]> = {};
  for (const i of err.issues) {
    const path = String(i.path[0] ?? 'form');
    (fieldErrors[rename[path] ?? path] ??= []).push(i.message);
  }
  return { ok: false, error: 'Check the highlighted fields.', fieldErrors };
}

async function finish<T>(action: string, subject: string, res: Outcome<T>, field?: string): Promise<ActionResult<T>> {
  await hostClient().record({ action, subject, detail: '', result: res.ok ? 'ok' : res.error });
  revalidatePath('/', 'layout');
  if (res.ok) return res;
  return { ok: false, error: res.error, fieldErrors: field && res.status === 422 ? { [field]: [res.error] } : undefined };
}

const formValue = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === 'string' ? v.trim() : undefined;
};

/** Node labels: set (add or change) or remove, guarded by the resourceVersion the person saw. */
export async function changeNodeLabel(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  if (!(await currentSession())) return noSession;
  const remove = form.get('intent') === 'remove';
  const raw = { node: formValue(form, 'node'), key: formValue(form, 'key'), value: formValue(form, 'value') ?? '', resourceVersion: formValue(form, 'resourceVersion') };
  const parsed = remove ? RemoveNodeLabel.safeParse(raw) : SetNodeLabel.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { node, key } = parsed.data;
  if (isSystemLabel(key) && form.get('confirmSystem') !== 'on') {
    return { ok: false, error: `${key} belongs to Kubernetes itself: tick the box to change it anyway.`, fieldErrors: { key: ['A Kubernetes-owned key: confirm to change it.'] } };
  }
  const value = remove ? null : (parsed.data as z.infer<typeof SetNodeLabel>).value;
  return finish(remove ? 'node.label.remove' : 'node.label.set', `${node} ${key}${value !== null ? `=${value}` : ''}`, await patchNodeLabels(node, { [key]: value }, parsed.data.resourceVersion));
}

/** A Service's type, first nodePort and traffic policy; the nodePort is checked against the range and the other services first. */
export async function changeService(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  if (!(await currentSession())) return noSession;
  const port = formValue(form, 'port');
  const nodePort = formValue(form, 'nodePort');
  const parsed = PatchService.safeParse({
    namespace: formValue(form, 'namespace'),
    name: formValue(form, 'name'),
    type: formValue(form, 'type'),
    nodePorts: port && nodePort ? { [port]: nodePort } : {},
    externalTrafficPolicy: formValue(form, 'externalTrafficPolicy') || undefined,
    resourceVersion: formValue(form, 'resourceVersion'),
  });
  if (!parsed.success) return invalid(parsed.error, { nodePorts: 'nodePort' });
  const s = parsed.data;
  const wanted = Object.values(s.nodePorts)[0];
  if (wanted) {
    const range = parseRange(env().nodePortRange)!;
    if (wanted < range.from || wanted > range.to) return { ok: false, error: `nodePort ${wanted} is outside the cluster's range ${env().nodePortRange}.`, fieldErrors: { nodePort: [`Use a port in ${env().nodePortRange}.`] } };
    const used = nodePortsInUse(kubeCache().snapshot().services, s);
    if (used.has(wanted)) return { ok: false, error: `nodePort ${wanted} is taken by another service.`, fieldErrors: { nodePort: [`Taken; ${freeNodePort(wanted, range, used) ?? 'no other'} is free.`] } };
  }
  const nodePorts = Object.fromEntries(Object.entries(s.nodePorts).map(([k, v]) => [Number(k), v]));
  return finish('service.patch', `${s.namespace}/${s.name} ${s.type}`, await patchService(s.namespace, s.name, { type: s.type, nodePorts, externalTrafficPolicy: s.externalTrafficPolicy, resourceVersion: s.resourceVersion }), 'nodePort');
}

/** Pin a Deployment or StatefulSet to the nodes a label selects, or clear its nodeSelector. */
export async function pinWorkload(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  if (!(await currentSession())) return noSession;
  const [kind, namespace, name] = (formValue(form, 'workload') ?? '').split('/');
  const clear = form.get('intent') === 'clear';
  const key = formValue(form, 'key') ?? '';
  const parsed = PinWorkload.safeParse({ kind, namespace, name, nodeSelector: clear ? null : { [key]: formValue(form, 'value') ?? '' } });
  if (!parsed.success) return invalid(parsed.error, { nodeSelector: 'key' });
  const p = parsed.data;
  return finish(clear ? 'workload.unpin' : 'workload.pin', `${p.kind} ${p.namespace}/${p.name}`, await setNodeSelector(p.kind, p.namespace, p.name, p.nodeSelector));
}
