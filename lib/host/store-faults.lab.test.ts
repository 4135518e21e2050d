import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { backToClusterIpArgs } from '@/lab/service-args.mts';
import { iptables, kubectl, labPrefix, ruleset } from '@/lab/testing.mts';
import { env } from '@/lib/env';
import { planExposeService } from '@/lib/expose/plan';
import { applyExpose, exposures, recoverExposes, undoExpose } from '@/lib/expose/steps';
import { openDatabase } from '@/lib/store/db';
import { storeProblem } from '@/lib/store/failure';
import { StoreFaults } from '@/lib/store/testing/faults';
import type { Outcome } from '@/lib/result';
import { HostService } from './service';
import { hostService, liveHostDeps } from './wiring';
import { processSlot } from '@/lib/process-wide';
import { hostStatus } from './testing/status';

// Every change, with the store's write failing at each of its steps in turn — once (a passing
// fault) and from then on (a disk that stays full): afterwards the kernel holds exactly what the
// store says, and every change the store kept is in the audit log.
const faults = new StoreFaults();
processSlot('db').set(faults.wrap(openDatabase(env().dataDir)));

const prefix = labPrefix();
let host: HostService;
const jenkins = { name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 } };
const grafanaSpec = async () => kubectl(['get', 'service', '-n', 'monitoring', 'kps-grafana', '-o', 'jsonpath={.spec.type}']);

/** The audit entries written since `after` (an id), oldest first. */
const auditSince = (after: number) =>
  host.auditLog
    .list({ limit: 1000 })
    .filter((e) => e.id > after)
    .reverse();
const lastAuditId = () => host.auditLog.list({ limit: 1 })[0]?.id ?? 0;

/** What the store and the kernel hold must be the same: the status's diff of store against kernel, and the forwards' own rules. */
async function storeAndKernelAgree(label: string): Promise<void> {
  const status = await hostStatus(host);
  expect(status.diff, label).toMatchObject({ inSync: true });
  const save = (await run('iptables-save', ['-t', 'nat'])).stdout;
  const inKernel = [...new Set([...save.matchAll(/^-A LABGATE-DNAT .*labgate:([a-z0-9]+)/gm)].map((m) => m[1]))].sort(); // each forward once
  const stored = host
    .list()
    .filter((f) => f.status?.targetIP)
    .map((f) => f.id)
    .sort();
  expect(inKernel, label).toEqual(stored);
}

/** Back to no forward, no exposure, Grafana a ClusterIP: each trial starts from the same host. */
async function clean(): Promise<void> {
  faults.disarm();
  await recoverExposes('test');
  for (const e of await exposures()) await undoExpose(e.id, 'test');
  for (const f of host.list()) await host.remove(f.id, 'test');
  if ((await grafanaSpec()) !== 'ClusterIP') await kubectl(backToClusterIpArgs('monitoring', 'kps-grafana'));
  expect(host.list()).toEqual([]);
}

/** The hand-made rule an adoption leaves, gone; labgate's empty chains back (no reconciler runs here). */
async function cleanKernel(): Promise<void> {
  await rebootFirewall(prefix);
  expect((await host.sync()).ok).toBe(true);
}

interface Operation {
  name: string;
  /** What the operation needs in place (made with no fault armed). */
  before?: () => Promise<void>;
  run: () => Promise<Outcome<unknown>>;
}

let handMadeKey = '';
let exposed = '';
const planGrafana = async () => {
  const plan = await planExposeService('monitoring', 'kps-grafana', 80, 30061);
  if (!plan.ok) throw new Error(plan.error);
  return plan.data;
};
const must = <T>(o: Outcome<T>): T => {
  if (!o.ok) throw new Error(o.error);
  return o.data;
};

const OPERATIONS: Operation[] = [
  { name: 'create', run: () => host.create(jenkins, 'test') },
  {
    name: 'update',
    before: async () => void must(await host.create(jenkins, 'test')),
    run: () => host.update({ id: host.list()[0]!.id, listenPort: 8088 }, 'test'),
  },
  {
    name: 'delete',
    before: async () => void must(await host.create(jenkins, 'test')),
    run: () => host.remove(host.list()[0]!.id, 'test'),
  },
  {
    name: 'adopt',
    before: async () => {
      await iptables(
        '-t',
        'nat',
        '-I',
        'PREROUTING',
        '-p',
        'tcp',
        '--dport',
        '8080',
        '-j',
        'DNAT',
        '--to-destination',
        '10.120.52.31:8080',
      );
      handMadeKey = (await hostStatus(host)).handMade.find((h) => h.listenPort === 8080)!.key;
    },
    run: () => host.adopt({ ruleKey: handMadeKey, confirm: true }, 'test'),
  },
  { name: 'Expose', run: async () => applyExpose(await planGrafana(), 'test') },
  {
    name: 'Undo',
    before: async () => void (exposed = must(await applyExpose(await planGrafana(), 'test')).id),
    run: () => undoExpose(exposed, 'test'),
  },
];

/** The hand-made rule an adoption takes must be on the host exactly when labgate's forward is not. */
async function handMadeLeft(): Promise<boolean> {
  return (await run('iptables-save', ['-t', 'nat'])).stdout.includes('-A PREROUTING -p tcp -m tcp --dport 8080 -j DNAT');
}

beforeAll(async () => {
  host = await hostService();
  await cleanKernel();
  await clean();
});

afterAll(async () => {
  await clean();
  await rebootFirewall(prefix);
});

describe('a store write that fails at any step of a change leaves store, kernel and audit log agreeing', () => {
  for (const op of OPERATIONS) {
    it(`${op.name}: every step, failing once and failing from then on`, async () => {
      // How many writes the operation makes when nothing fails.
      await op.before?.();
      faults.disarm();
      expect((await op.run()).ok, `${op.name} with no fault`).toBe(true);
      const steps = faults.writes;
      expect(steps).toBeGreaterThan(0);
      await clean();
      await cleanKernel();

      const tried: string[] = [];
      for (let step = 1; step <= steps; step++) {
        for (const sticky of [false, true]) {
          const label = `${op.name}, write ${step} of ${steps} failing ${sticky ? 'from then on' : 'once'}`;
          await op.before?.();
          const forwardsBefore = host.list().length;
          const auditMark = lastAuditId();
          faults.arm(step, sticky);
          const result = await op.run();
          faults.disarm();
          tried.push(`${label}: ${result.ok ? 'done' : `refused (${result.status}): ${result.error}`}`);

          await storeAndKernelAgree(label);
          // Every forward the store gained or lost is an "ok" entry of the audit log, and no other.
          const entries = auditSince(auditMark).filter((e) => e.result === 'ok' && e.action.startsWith('forward.'));
          const count = (action: string) => entries.filter((e) => e.action === action).length;
          expect(host.list().length - forwardsBefore, label).toBe(
            count('forward.create') + count('forward.adopt') - count('forward.delete'),
          );
          if (op.name === 'update') {
            const port = host.list()[0]?.listenPort;
            expect(count('forward.update'), label).toBe(port === 8088 ? 1 : 0);
          }
          if (op.name === 'adopt') expect(await handMadeLeft(), label).toBe(host.list().length === 0);
          if (!result.ok) expect(result.error, label).toMatch(/full|could not be recorded|did not/);
          await clean();
          if (op.name === 'adopt') await cleanKernel();
        }
      }
      console.log(tried.join('\n'));
      expect(tried).toHaveLength(2 * steps);
    });
  }
});

describe('a data directory that has no room', () => {
  it('refuses a change before the kernel is touched, with the reason in words', async () => {
    const full = new HostService({ ...(await liveHostDeps()), storeRoom: () => storeProblem('full', env().dataDir) });
    const before = await ruleset();
    const res = await full.create({ ...jenkins, listenPort: 8091 }, 'test');
    expect(res).toMatchObject({ ok: false, status: 507, error: expect.stringContaining('is full: free some space; nothing was changed') });
    expect(await ruleset()).toBe(before);
    expect(full.list()).toEqual([]);
  });
});
