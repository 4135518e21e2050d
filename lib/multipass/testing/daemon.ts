import type { CliRunner } from '../cli';

/**
 * A Multipass daemon for fast unit tests, answering `multipass info --format json`: its telemetry
 * (load, memory, disk) moves on every call, as a real daemon's does; state, addresses and release
 * stay as the test sets them; `down` answers as the CLI does when the daemon is away.
 */
export function movingTelemetryDaemon() {
  const vm = { state: 'Running', ipv4: ['10.120.52.31', '10.244.1.0'], release: 'Ubuntu 24.04.1 LTS' };
  const daemon = { down: false };
  let calls = 0;
  const run: CliRunner = async () => {
    if (daemon.down) return { code: 2, stdout: '', stderr: 'cannot connect to the multipass socket\n', timedOut: false };
    calls++;
    const info = {
      ops: {
        ...vm,
        cpu_count: '2',
        load: [0.1 * (calls % 7), 0.2, 0.3],
        memory: { used: 500_000_000 + calls * 4096, total: 2_000_000_000 },
        disks: { sda1: { used: String(3_000_000_000 + calls * 512), total: '10000000000' } },
      },
    };
    return { code: 0, stdout: JSON.stringify({ errors: [], info }), stderr: '', timedOut: false };
  };
  return { vm, daemon, run, calls: () => calls };
}
