import 'server-only';
import { EXPOSE_ANNOTATIONS, exposeAnnotation } from '@/lib/domain/expose/annotations';
import { namePlan, openStep, planServiceExpose, type ExposeNaming, type ExposePlan } from '@/lib/domain/expose/plan';
import { formatRange, freeNodePort, nodePortsInUse } from '@/lib/domain/cluster/ports';
import { SIGN_IN_NEEDS_HTTPS } from '@/lib/domain/network/lan-names';
import { env } from '@/lib/env';
import { kubeCache } from '@/lib/kube/cache';
import { fail, type Outcome } from '@/lib/result';
import { CHECK_FIELDS, fieldErrorsOf } from '@/lib/schemas/errors';
import { ExposeNaming as ExposeNamingSchema, ExposeTarget } from '@/lib/schemas/expose';

/** Several Grafanas: the person picks one. */
export type ExposeChoices = { namespace: string; name: string }[];

/** kube-prometheus-stack labels its Grafana so; design.md's reference lab forwards it on 30060. */
export const GRAFANA = { label: 'app.kubernetes.io/name', value: 'grafana', nodePort: 30060 } as const;
/** The Grafana services of the cluster (the kube-prometheus-stack chart labels them). */
export function grafanaServices() {
  return kubeCache()
    .snapshot()
    .services.filter((s) => s.labels[GRAFANA.label] === GRAFANA.value);
}

export async function planExposeService(
  namespace: string,
  name: string,
  port?: number,
  wanted: number = GRAFANA.nodePort,
): Promise<Outcome<ExposePlan>> {
  await kubeCache().ready(3_000);
  const { services } = kubeCache().snapshot();
  const svc = services.find((s) => s.namespace === namespace && s.name === name);
  if (!svc) return fail(404, `Service ${namespace}/${name} does not exist.`);
  const range = env().nodePortRange;
  const chosen = freeNodePort(wanted, range, nodePortsInUse(services, svc));
  if (chosen === null) return fail(409, `Every nodePort in ${formatRange(range)} is taken.`);
  const plan = planServiceExpose(svc, port, chosen, svc.labels[GRAFANA.label] === GRAFANA.value ? 'Grafana' : `${namespace}/${name}`);
  if ('error' in plan) return fail(422, plan.error);
  const holder = services.find((s) => s !== svc && s.ports.some((p) => p.nodePort === wanted));
  if (plan.listenPort === chosen && chosen !== wanted && holder)
    plan.note = `nodePort ${wanted} is taken by ${holder.namespace}/${holder.name}: the plan uses ${chosen}, the next free one.`;
  return { ok: true, data: plan };
}

/**
 * The name the dialog proposes: what the Service's annotations ask (labgate.dev/name,
 * labgate.dev/https), else grafana for Grafana; an instance gets none. The person may change it.
 */
export function suggestedNaming(plan: ExposePlan): ExposeNaming {
  const step = openStep(plan);
  if (step?.target.kind !== 'service') return {};
  const { namespace, name } = step.target;
  const svc = kubeCache()
    .snapshot()
    .services.find((s) => s.namespace === namespace && s.name === name);
  if (!svc) return {};
  const asked = exposeAnnotation({ ...svc.annotations, [EXPOSE_ANNOTATIONS.expose]: 'true' });
  const access = asked && !('error' in asked) && asked.allowFrom ? { allowFrom: asked.allowFrom } : {};
  if (asked && !('error' in asked) && asked.name)
    return { lanName: asked.name, ...(asked.https ? { https: true } : {}), ...(asked.signIn ? { signIn: true } : {}), ...access };
  return { ...(svc.labels[GRAFANA.label] === GRAFANA.value ? { lanName: GRAFANA.value } : {}), ...access };
}

export function planExposeInstance(instance: string, port: number): ExposePlan {
  return {
    title: `Expose ${instance}:${port} on the LAN`,
    listenPort: port,
    steps: [{ kind: 'open-forward', listenPort: port, target: { kind: 'instance', name: instance, port } }],
  };
}

/**
 * The plan for what a person (or an annotation) asks to expose, named as asked; without naming,
 * as labgate would name it (Grafana → grafana.local). A plan from the browser is never trusted:
 * every action plans again from the target.
 */
export async function planFor(raw: unknown, rawNaming?: unknown): Promise<Outcome<ExposePlan & { choices?: ExposeChoices }>> {
  const naming = rawNaming === undefined ? null : ExposeNamingSchema.safeParse(rawNaming);
  if (naming && !naming.success) return fail(400, CHECK_FIELDS, fieldErrorsOf(naming.error));
  const res = await unnamedPlan(raw);
  if (!res.ok || res.data.choices) return res;
  const named = namePlan(res.data, naming ? naming.data : suggestedNaming(res.data));
  return 'error' in named
    ? fail(422, named.error, { [named.error === SIGN_IN_NEEDS_HTTPS ? 'signIn' : 'https']: [named.error] })
    : { ok: true, data: named };
}

async function unnamedPlan(raw: unknown): Promise<Outcome<ExposePlan & { choices?: ExposeChoices }>> {
  const parsed = ExposeTarget.safeParse(raw);
  if (!parsed.success) return fail(400, CHECK_FIELDS, fieldErrorsOf(parsed.error));
  const t = parsed.data;
  if (t.kind === 'instance') return { ok: true, data: planExposeInstance(t.instance, t.port) };
  if (t.kind === 'service') return planExposeService(t.namespace, t.name, t.port, t.port ?? GRAFANA.nodePort);
  const found = grafanaServices();
  if (found.length === 0) {
    return fail(
      404,
      'No Grafana service in the cluster (none is labelled app.kubernetes.io/name=grafana). Install kube-prometheus-stack: helm install kps prometheus-community/kube-prometheus-stack -n monitoring --create-namespace',
    );
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
