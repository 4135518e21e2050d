/**
 * `npm run bench:firewall`: labgate's one iptables-restore against the reference lab's way
 * (two iptables calls per forward), measured side by side in one run, inside a network
 * namespace this benchmark makes and removes.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { ResolvedForward } from '@/lib/domain/forwards/forward';
import { Firewall } from '@/lib/host/firewall/firewall';
import { execRunner } from '@/lib/host/firewall/runner';

const N = Number(process.env.BENCH_FORWARDS ?? 1000);
const NOOPS = 100;
const net = { lanInterface: 'enp3s0', lanAddress: '192.168.50.27', lanCidr: '192.168.50.0/24' };

const forwards = (shift = 0): ResolvedForward[] =>
  Array.from({ length: N }, (_, i) => ({
    id: `bench${String(i).padStart(5, '0')}`,
    protocol: 'tcp',
    listenPort: 20000 + i,
    listenAddress: null,
    targetIP: `10.120.52.${23 + ((i + shift) % 3)}`,
    targetPort: 30000 + (i % 2000),
    allowFrom: null,
  }));

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const ipt = (...args: string[]) => execFileSync('iptables', ['-w', ...args]);
const flush = () => {
  for (const t of ['nat', 'filter']) {
    ipt('-t', t, '-F');
    ipt('-t', t, '-X');
  }
};

async function main() {
  const fw = new Firewall(execRunner('nft'));
  flush();

  // labgate: one restore for all N forwards.
  let t0 = process.hrtime.bigint();
  await fw.sync(forwards(), net);
  const labgateMs = ms(t0);
  const restoreMs = fw.lastRestoreMs;

  // No-op syncs: read, compare, and write nothing.
  const before = fw.restores;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < NOOPS; i++) await fw.sync(forwards(), net);
  const noopMs = ms(t0) / NOOPS;
  const noopRestores = fw.restores - before;

  // One forward changes among N.
  const changed = forwards();
  changed[N >> 1] = { ...changed[N >> 1]!, targetIP: '10.120.52.25' };
  t0 = process.hrtime.bigint();
  await fw.sync(changed, net);
  const oneChangeMs = ms(t0);

  // The reference lab's way: a DNAT rule and a FORWARD rule per forward, one iptables call each.
  flush();
  t0 = process.hrtime.bigint();
  for (const f of forwards()) {
    ipt(
      '-t',
      'nat',
      '-I',
      'PREROUTING',
      '-i',
      'enp3s0',
      '-p',
      'tcp',
      '--dport',
      String(f.listenPort),
      '-j',
      'DNAT',
      '--to-destination',
      `${f.targetIP}:${f.targetPort}`,
    );
    ipt('-I', 'FORWARD', '1', '-p', 'tcp', '-d', f.targetIP, '--dport', String(f.targetPort), '-j', 'ACCEPT');
  }
  const manualMs = ms(t0);
  flush();

  if (process.env.BENCH_JSON) {
    // For `npm run bench`, which puts these figures in its table.
    console.log(JSON.stringify({ forwards: N, noops: NOOPS, restoreMs, labgateMs, manualMs, noopRestores, noopMs, oneChangeMs }));
    return;
  }
  const rows = [
    [
      'machine',
      `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${execFileSync('iptables', ['--version']).toString().trim()}`,
    ],
    [`apply ${N} forwards, labgate: the one iptables-restore`, `${restoreMs.toFixed(0)} ms`],
    [`apply ${N} forwards, labgate: whole sync (read, compare, restore)`, `${labgateMs.toFixed(0)} ms`],
    [`apply ${N} forwards, by hand (${2 * N} iptables calls)`, `${manualMs.toFixed(0)} ms`],
    ['ratio, restore (goal ≥ 50×)', `${(manualMs / restoreMs).toFixed(1)}×`],
    ['ratio, whole sync', `${(manualMs / labgateMs).toFixed(1)}×`],
    [`restore runs over ${NOOPS} no-op syncs (goal 0)`, String(noopRestores)],
    ['one no-op sync (read + compare)', `${noopMs.toFixed(1)} ms`],
    [`one change among ${N} forwards`, `${oneChangeMs.toFixed(0)} ms`],
  ];
  const width = Math.max(...rows.map((r) => r[0]!.length));
  for (const [k, v] of rows) console.log(`${k!.padEnd(width)}  ${v}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
