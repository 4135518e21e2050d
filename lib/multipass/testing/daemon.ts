import type { InstanceRecord } from '@/lib/domain/records';
import { MultipassError } from '../errors.mts';
import type { InstanceSource } from '../watcher';

/**
 * A Multipass daemon for fast unit tests, as the watcher's source sees it: its telemetry (load,
 * memory, disk) moves on every call, as a real daemon's does; state, addresses and release stay
 * as the test sets them; `down` fails as a daemon that is away does.
 */
export function movingTelemetryDaemon() {
  const vm = { state: 'Running', ipv4: ['10.120.52.31', '10.244.1.0'], release: 'Ubuntu 24.04.1 LTS' };
  const daemon = { down: false };
  let calls = 0;
  const source: InstanceSource = async () => {
    if (daemon.down) throw new MultipassError('daemon-down', 'The Multipass daemon is not running (nothing answers on /run/test.sock).');
    calls++;
    const ops: InstanceRecord = {
      name: 'ops',
      ...vm,
      ipv4: [...vm.ipv4],
      imageRelease: '24.04 LTS',
      cpuCount: 2,
      load: [0.1 * (calls % 7), 0.2, 0.3],
      memory: { used: 500_000_000 + calls * 4096, total: 2_000_000_000 },
      disk: { used: 3_000_000_000 + calls * 512, total: 10_000_000_000 },
      zone: null,
      mounts: [],
    };
    return [ops];
  };
  return { vm, daemon, source, calls: () => calls };
}
