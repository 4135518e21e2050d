'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { currentSession } from '@/lib/auth/request';
import { describeStep, type ExposePlan } from '@/lib/domain/plan';
import { applyExpose, grafanaServices, planExposeInstance, planExposeService, undoExpose, type ExposeResult } from '@/lib/expose';
import type { ActionResult, Outcome } from '@/lib/result';
import { ExposeInstance, ExposeService, UndoExpose } from '@/lib/schemas/cluster';

/** What to expose: the Grafana service (found by its label), any service, or an instance's port. */
const ExposeTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grafana'), namespace: z.string().optional(), name: z.string().optional() }),
  ExposeService.extend({ kind: z.literal('service') }),
  ExposeInstance.extend({ kind: z.literal('instance') }),
]);
export type ExposeTarget = z.infer<typeof ExposeTarget>;

export interface PlanView {
  title: string;
  listenPort: number;
  steps: string[];
  choices?: { namespace: string; name: string }[]; // several Grafanas: the person picks
}

const noSession: ActionResult<never> = { ok: false, error: 'Your session has ended: log in again.' };
const asAction = <T>(o: Outcome<T>): ActionResult<T> => (o.ok ? o : { ok: false, error: o.error, fieldErrors: o.fieldErrors });

async function plan(raw: unknown): Promise<Outcome<ExposePlan & { choices?: PlanView['choices'] }>> {
  const parsed = ExposeTarget.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const i of parsed.error.issues) (fieldErrors[i.path.join('.') || 'form'] ??= []).push(i.message);
    return { ok: false, status: 400, error: 'Check the highlighted fields.', fieldErrors };
  }
  const t = parsed.data;
  if (t.kind === 'instance') return { ok: true, data: planExposeInstance(t.instance, t.port) };
  if (t.kind === 'service') return planExposeService(t.namespace, t.name, t.port, t.port ?? 30060);
  const found = grafanaServices();
  if (found.length === 0) {
    return { ok: false, status: 404, error: 'No Grafana service in the cluster (none is labelled app.kubernetes.io/name=grafana). Install kube-prometheus-stack: helm install kps prometheus-community/kube-prometheus-stack -n monitoring --create-namespace' };
  }
  const chosen = t.namespace && t.name ? found.find((s) => s.namespace === t.namespace && s.name === t.name) : found.length === 1 ? found[0] : undefined;
  if (!chosen) return { ok: true, data: { title: 'Expose Grafana on the LAN', listenPort: 0, steps: [], choices: found.map((s) => ({ namespace: s.namespace, name: s.name })) } };
  return planExposeService(chosen.namespace, chosen.name);
}

export async function planExpose(target: ExposeTarget): Promise<ActionResult<PlanView>> {
  if (!(await currentSession())) return noSession;
  const res = await plan(target);
  return asAction(res.ok ? { ok: true, data: { title: res.data.title, listenPort: res.data.listenPort, steps: res.data.steps.map(describeStep), choices: res.data.choices } } : res);
}

/** Plans again on the server from the target (a plan from the browser is never trusted), then applies. */
export async function applyExposeAction(target: ExposeTarget): Promise<ActionResult<ExposeResult>> {
  if (!(await currentSession())) return noSession;
  const p = await plan(target);
  if (!p.ok) return asAction(p);
  if (p.data.choices) return { ok: false, error: 'Choose which Grafana to expose.' };
  const res = await applyExpose(p.data, 'admin');
  revalidatePath('/');
  return asAction(res);
}

export async function undoExposeAction(id: string): Promise<ActionResult<{ id: string }>> {
  if (!(await currentSession())) return noSession;
  const parsed = UndoExpose.safeParse({ id });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  const res = await undoExpose(parsed.data.id, 'admin');
  revalidatePath('/');
  return asAction(res);
}
