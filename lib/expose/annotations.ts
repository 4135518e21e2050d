import 'server-only';
import { exposeAnnotation } from '@/lib/domain/expose/annotations';
import { namePlan, type ExposeNaming } from '@/lib/domain/expose/plan';
import { planExposeService } from './plan';
import { applyExpose, exposures, undoExpose } from './steps';
import { kubeCache } from '@/lib/kube/cache';
import { processSingleton } from '@/lib/process-wide';

const ACTOR = 'annotation';
type Exposure = Awaited<ReturnType<typeof exposures>>[number];

/** The Service an Expose made public. */
const serviceOf = (e: Exposure): string | null => {
  const step = e.plan.steps.find((s) => s.kind === 'service-nodeport');
  return step && step.kind === 'service-nodeport' ? `${step.namespace}/${step.name}` : null;
};

/**
 * Keeps Exposes true to the Services' `labgate.dev/expose` annotations: an annotated Service is
 * exposed with the same plan, journal and audit entry as a click (actor "annotation"); its
 * annotation or the Service gone, that Expose is undone. Only Exposes it made are ever undone. A
 * Service whose Expose failed is tried again once it changes; an apiserver that is away changes
 * nothing (the last known Services are not taken for the truth).
 */
export class AnnotationExposer {
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly failedAt = new Map<string, string>(); // Service → the resourceVersion its Expose failed at
  private stopListening: (() => void) | null = null;
  /** Each pass's outcome, for tests and logs: what it exposed and undid. */
  lastPass: { exposed: string[]; undone: string[]; refused: string[] } = { exposed: [], undone: [], refused: [] };

  start(): void {
    this.stopListening = kubeCache().onChange(() => this.soon());
    this.soon();
  }

  stop(): void {
    this.stopListening?.();
    if (this.timer) clearTimeout(this.timer);
  }

  private soon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), 300); // a burst of watch events, one pass
  }

  /** One pass now (a pass already running runs once more after it). */
  async pass(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.reconcile();
      } while (this.again);
    } catch (e) {
      console.error(`labgate: exposing annotated Services failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.running = false;
    }
  }

  private async reconcile(): Promise<void> {
    const cache = kubeCache();
    if (!cache.getStatus().reachable) return;
    const pass = { exposed: [] as string[], undone: [] as string[], refused: [] as string[] };
    const wanted = new Map<string, { namespace: string; name: string; port: number | null; naming: ExposeNaming; version: string }>();
    for (const s of cache.snapshot().services) {
      const asked = exposeAnnotation(s.annotations);
      if (!asked) continue;
      const key = `${s.namespace}/${s.name}`;
      if ('error' in asked) {
        if (this.failedAt.get(key) !== s.resourceVersion) console.error(`labgate: Service ${key} is not exposed: ${asked.error}`);
        this.failedAt.set(key, s.resourceVersion);
        pass.refused.push(key);
        continue;
      }
      wanted.set(key, {
        namespace: s.namespace,
        name: s.name,
        port: asked.port,
        // only what the annotations say
        naming: {
          ...(asked.name ? { lanName: asked.name, https: asked.https, ...(asked.signIn ? { signIn: true } : {}) } : {}),
          ...(asked.allowFrom ? { allowFrom: asked.allowFrom } : {}),
        },
        version: s.resourceVersion,
      });
    }
    const current = await exposures();
    for (const e of current.filter((x) => x.source === 'annotation')) {
      const key = serviceOf(e);
      if (key && wanted.has(key)) continue;
      const res = await undoExpose(e.id, ACTOR);
      if (res.ok) pass.undone.push(key ?? e.id);
      else console.error(`labgate: could not undo the Expose of ${key}: ${res.error}`);
    }
    for (const [key, s] of wanted) {
      if (current.some((e) => serviceOf(e) === key)) continue; // exposed already, by annotation or by a person
      if (this.failedAt.get(key) === s.version) continue;
      const planned = await planExposeService(s.namespace, s.name, s.port ?? undefined);
      const named = planned.ok ? namePlan(planned.data, s.naming) : { error: planned.error };
      const res = 'error' in named ? ({ ok: false, error: named.error } as const) : await applyExpose(named, ACTOR, 'annotation');
      if (res.ok) {
        this.failedAt.delete(key);
        pass.exposed.push(key);
      } else {
        this.failedAt.set(key, s.version);
        pass.refused.push(key);
        console.error(`labgate: Service ${key} asks to be exposed, but: ${res.error}`);
      }
    }
    this.lastPass = pass;
  }
}

/** Where Exposes run (roles all and ui): once per process. */
export const startAnnotationExposer = processSingleton('annotationExposer', () => {
  const exposer = new AnnotationExposer();
  exposer.start();
  return exposer;
});
