'use server';

import { revalidatePath } from 'next/cache';
import { describeStep, namePlan, openStep, type ExposePlan } from '@/lib/domain/plan';
import {
  applyExpose,
  GRAFANA,
  grafanaServices,
  planExposeInstance,
  planExposeService,
  suggestedNaming,
  undoExpose,
  type ExposeResult,
} from '@/lib/expose';
import type { ActionResult, Outcome } from '@/lib/result';
import { fieldErrorsOf, CHECK_FIELDS } from '@/lib/schemas/errors';
import { ExposeId, ExposeNaming, ExposeTarget } from '@/lib/schemas/expose';
import { asAction, invalidInput, withSession } from '@/lib/server/action';

export interface PlanView {
  title: string;
  listenPort: number;
  steps: string[];
  note?: string; // what the plan chose for the person (another nodePort than the usual one)
  choices?: { namespace: string; name: string }[]; // several Grafanas: the person picks
  lanName?: string; // the name it gets on the LAN (NAME.local)
  https?: boolean;
}

/** A plan, named as asked; without naming, as labgate would name it (Grafana → grafana.local). */
async function plan(raw: unknown, rawNaming?: unknown): Promise<Outcome<ExposePlan & { choices?: PlanView['choices'] }>> {
  const naming = rawNaming === undefined ? null : ExposeNaming.safeParse(rawNaming);
  if (naming && !naming.success) return { ok: false, status: 400, error: CHECK_FIELDS, fieldErrors: fieldErrorsOf(naming.error) };
  const res = await unnamedPlan(raw);
  if (!res.ok || res.data.choices) return res;
  const named = namePlan(res.data, naming ? naming.data : suggestedNaming(res.data));
  return 'error' in named
    ? { ok: false, status: 422, error: named.error, fieldErrors: { https: [named.error] } }
    : { ok: true, data: named };
}

async function unnamedPlan(raw: unknown): Promise<Outcome<ExposePlan & { choices?: PlanView['choices'] }>> {
  const parsed = ExposeTarget.safeParse(raw);
  if (!parsed.success) return { ok: false, status: 400, error: CHECK_FIELDS, fieldErrors: fieldErrorsOf(parsed.error) };
  const t = parsed.data;
  if (t.kind === 'instance') return { ok: true, data: planExposeInstance(t.instance, t.port) };
  if (t.kind === 'service') return planExposeService(t.namespace, t.name, t.port, t.port ?? GRAFANA.nodePort);
  const found = grafanaServices();
  if (found.length === 0) {
    return {
      ok: false,
      status: 404,
      error:
        'No Grafana service in the cluster (none is labelled app.kubernetes.io/name=grafana). Install kube-prometheus-stack: helm install kps prometheus-community/kube-prometheus-stack -n monitoring --create-namespace',
    };
  }
  const chosen =
    t.namespace && t.name ? found.find((s) => s.namespace === t.namespace && s.name === t.name) : found.length === 1 ? found[0] : undefined;
  if (!chosen)
    return {
      ok: true,
      data: {
        title: 'Expose Grafana on the LAN',
        listenPort: 0,
        steps: [],
        choices: found.map((s) => ({ namespace: s.namespace, name: s.name })),
      },
    };
  return planExposeService(chosen.namespace, chosen.name);
}

export const planExpose = withSession(async (target: ExposeTarget, naming?: ExposeNaming): Promise<ActionResult<PlanView>> => {
  const res = await plan(target, naming);
  return asAction(
    res.ok
      ? {
          ok: true,
          data: {
            title: res.data.title,
            listenPort: res.data.listenPort,
            steps: res.data.steps.map(describeStep),
            note: res.data.note,
            choices: res.data.choices,
            ...opened(res.data),
          },
        }
      : res,
  );
});

const opened = (p: ExposePlan): Pick<PlanView, 'lanName' | 'https'> => {
  const step = openStep(p);
  return step ? { lanName: step.lanName, https: step.https } : {};
};

/** Plans again on the server from the target (a plan from the browser is never trusted), then applies. */
export const applyExposeAction = withSession(async (target: ExposeTarget, naming?: ExposeNaming): Promise<ActionResult<ExposeResult>> => {
  const p = await plan(target, naming);
  if (!p.ok) return asAction(p);
  if (p.data.choices) return { ok: false, error: 'Choose which Grafana to expose.' };
  const res = await applyExpose(p.data, 'admin');
  revalidatePath('/');
  return asAction(res);
});

export const undoExposeAction = withSession(async (id: string): Promise<ActionResult<{ id: string }>> => {
  const parsed = ExposeId.safeParse(id);
  if (!parsed.success) return invalidInput(parsed.error);
  const res = await undoExpose(parsed.data, 'admin');
  revalidatePath('/');
  return asAction(res);
});
