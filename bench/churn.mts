// Pod churn for the memory figures: 100 annotation patches a second on the scale profile's pods,
// through the lab admin's API access, with a sample of each process's RSS every 15 s.
import fs from 'node:fs';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { SCALE_NAMESPACE } from '../lab/scale.mts';

export const rssMbOf = (pid: number) => Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

export interface ChurnResult {
  seconds: number;
  changes: number;
  failed: number; // refused by the apiserver
  dropped: number; // not sent: 50 already in flight, the apiserver fell behind
  perSecond: number;
  samples: { s: number; mb: Record<string, number> }[];
}

/** Churns for `seconds`, sampling the RSS of each named process (name → pid). */
export async function churnPods(adminKubeconfig: string, seconds: number, pids: Record<string, number>): Promise<ChurnResult> {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const pods = (await core.listNamespacedPod({ namespace: SCALE_NAMESPACE })).items.map((x) => x.metadata!.name!);
  if (!pods.length) throw new Error(`no pods in namespace ${SCALE_NAMESPACE}: the churn needs the lab's scale profile`);
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const sample = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMbOf(pid)]));
  const started = performance.now();
  const samples: ChurnResult['samples'] = [{ s: 0, mb: sample() }];
  let sent = 0;
  let failed = 0;
  let dropped = 0;
  let inFlight = 0;
  const timer = setInterval(() => {
    for (let k = 0; k < 10; k++) {
      if (inFlight >= 50) {
        dropped++;
        continue;
      }
      const name = pods[sent % pods.length]!;
      inFlight++;
      sent++;
      core
        .patchNamespacedPod(
          { namespace: SCALE_NAMESPACE, name, body: { metadata: { annotations: { 'labgate.bench/churn': String(sent) } } } },
          merge,
        )
        .catch(() => failed++)
        .finally(() => inFlight--);
    }
  }, 100);
  const sampler = setInterval(() => samples.push({ s: Math.round((performance.now() - started) / 1000), mb: sample() }), 15_000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(timer);
  clearInterval(sampler);
  samples.push({ s: seconds, mb: sample() });
  return { seconds, changes: sent - failed, failed, dropped, perSecond: (sent - failed) / seconds, samples };
}

/** One process's figures from the samples: at the start, the end, the highest, and the second half's growth. */
export function memoryOf(r: ChurnResult, name: string) {
  const series = r.samples.map((x) => ({ s: x.s, mb: x.mb[name]! }));
  const half = series.filter((x) => x.s >= r.seconds / 2);
  return {
    startMb: series[0]!.mb,
    endMb: series.at(-1)!.mb,
    maxMb: Math.max(...series.map((x) => x.mb)),
    secondHalfGrowthMb: half.at(-1)!.mb - half[0]!.mb,
    samples: series,
  };
}
