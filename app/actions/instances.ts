'use server';

import { hostClient } from '@/lib/host-api/client';
import type { InstanceChanged } from '@/lib/host/instances';
import type { ActionResult } from '@/lib/result';
import { InstanceChange, LaunchInstance, SaveTemplate, TemplateName } from '@/lib/schemas/instances';
import { formInteger } from '@/lib/schemas/names';
import { db } from '@/lib/store/db';
import { JOIN_PLACEHOLDER, JOIN_TOKEN_HOURS, withJoin } from '@/lib/domain/cluster/kubeadm-join.mts';
import { createJoinCommand } from '@/lib/kube/join';
import { TemplateStore } from '@/lib/store/templates';
import { asAction, finished, invalidInput, withSession } from '@/lib/server/action';

/** Start, stop, suspend, restart or delete an instance: checked here, then again by the host role, which asks the daemon. */
export const changeInstance = withSession(async (input: unknown): Promise<ActionResult<InstanceChanged>> => {
  const parsed = InstanceChange.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return finished(await hostClient().changeInstance(parsed.data));
});

/** The launch form's fields, as the schemas take them (CPUs a number only when the text is one). */
function launchFields(form: FormData) {
  const text = (k: string) => String(form.get(k) ?? '');
  return {
    image: text('image'),
    cpus: formInteger(text('cpus')),
    memory: text('memory'),
    disk: text('disk'),
    cloudInit: text('cloudInit'),
  };
}

type LaunchOrSaved = { message: string; launched: boolean };

/**
 * The launch form's one action: `intent` launch asks the host role to launch (it answers once the
 * daemon has taken it; the page follows the rest), `save` keeps the fields as a template.
 */
export const launchOrSave = withSession(
  async (_prev: ActionResult<LaunchOrSaved> | null, form: FormData): Promise<ActionResult<LaunchOrSaved>> => {
    if (form.get('intent') === 'save') {
      const parsed = SaveTemplate.safeParse({ ...launchFields(form), template: String(form.get('template') ?? '') });
      if (!parsed.success) return invalidInput(parsed.error);
      new TemplateStore(db()).save(parsed.data);
      return finished({ ok: true, data: { message: `Template ${parsed.data.template} saved.`, launched: false } });
    }
    const parsed = LaunchInstance.safeParse({ ...launchFields(form), name: String(form.get('name') ?? '') });
    if (!parsed.success) return invalidInput(parsed.error);
    let launch = parsed.data;
    if (launch.cloudInit.includes(JOIN_PLACEHOLDER)) {
      // A worker: its join command (a fresh bootstrap token) made here, where the Kubernetes credentials are.
      const join = await createJoinCommand(launch.name);
      await hostClient().record({
        action: 'cluster.join-token',
        subject: launch.name,
        detail: `${JOIN_TOKEN_HOURS} h`,
        result: join.ok ? 'ok' : join.error,
      });
      if (!join.ok) return asAction(join);
      launch = { ...launch, cloudInit: withJoin(launch.cloudInit, join.data) };
    }
    const res = await hostClient().launch(launch);
    return finished(res.ok ? { ok: true, data: { message: `Launching ${res.data.name}…`, launched: true } } : res);
  },
);

export const deleteTemplate = withSession(async (name: string): Promise<ActionResult<{ message: string }>> => {
  const parsed = TemplateName.safeParse(name);
  if (!parsed.success) return invalidInput(parsed.error);
  if (!new TemplateStore(db()).remove(parsed.data)) return { ok: false, error: `There is no saved template ${parsed.data}.` };
  return finished({ ok: true, data: { message: `Template ${parsed.data} deleted.` } });
});
