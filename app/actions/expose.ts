'use server';

import { headers } from 'next/headers';
import { describeStep, openStep, type ExposePlan } from '@/lib/domain/expose/plan';
import { planFor } from '@/lib/expose/plan';
import { applyExpose, undoExpose } from '@/lib/expose/steps';
import { deviceAddress } from '@/lib/http';
import type { ActionResult } from '@/lib/result';
import { ExposeId, type ExposeNaming, type ExposeTarget } from '@/lib/schemas/expose';
import type { ExposeResult, PlanView } from '@/lib/wire';
import { asAction, finished, invalidInput, withSession } from '@/lib/server/action';

export const planExpose = withSession(async (target: ExposeTarget, naming?: ExposeNaming): Promise<ActionResult<PlanView>> => {
  const res = await planFor(target, naming);
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
            device: deviceAddress(await headers()),
          },
        }
      : res,
  );
});

const opened = (p: ExposePlan): Pick<PlanView, 'lanName' | 'https' | 'signIn' | 'allowFrom'> => {
  const step = openStep(p);
  return step ? { lanName: step.lanName, https: step.https, signIn: step.signIn, allowFrom: step.allowFrom } : {};
};

/** Plans again on the server from the target (a plan from the browser is never trusted), then applies. */
export const applyExposeAction = withSession(async (target: ExposeTarget, naming?: ExposeNaming): Promise<ActionResult<ExposeResult>> => {
  const p = await planFor(target, naming);
  if (!p.ok) return asAction(p);
  if (p.data.choices) return { ok: false, error: 'Choose which Grafana to expose.' };
  return finished(await applyExpose(p.data, 'admin'));
});

export const undoExposeAction = withSession(async (id: string): Promise<ActionResult<{ id: string }>> => {
  const parsed = ExposeId.safeParse(id);
  if (!parsed.success) return invalidInput(parsed.error);
  return finished(await undoExpose(parsed.data, 'admin'));
});
