import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { movingTelemetryDaemon as daemon } from './testing/daemon';
import { MultipassWatcher, TELEMETRY_MS } from './watcher';

const POLL_MS = 2_000;

describe('MultipassWatcher: what wakes whom', () => {
  let watcher: MultipassWatcher;
  let d: ReturnType<typeof daemon>;
  const changes = vi.fn();
  const telemetry = vi.fn();
  beforeEach(async () => {
    vi.useFakeTimers();
    changes.mockClear();
    telemetry.mockClear();
    d = daemon();
    watcher = new MultipassWatcher(d.source, POLL_MS);
    await watcher.ready();
    watcher.onChange(changes);
    watcher.onTelemetry(telemetry);
  });
  afterEach(() => {
    watcher.stop();
    vi.useRealTimers();
  });

  it('5 minutes of telemetry moving on every poll: no change, the pages told at the telemetry pace, the snapshot current', async () => {
    const version = watcher.snapshot().version;
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(d.calls()).toBeGreaterThanOrEqual((5 * 60_000) / POLL_MS);
    expect(changes).not.toHaveBeenCalled();
    expect(watcher.snapshot().version).toBe(version);
    expect(telemetry).toHaveBeenCalledTimes((5 * 60_000) / TELEMETRY_MS);
    expect(watcher.snapshot().instances[0]!.memory!.used).toBe(500_000_000 + d.calls() * 4096);
  });

  it.each([
    { what: 'the state', change: (vm: ReturnType<typeof daemon>['vm']) => (vm.state = 'Stopped') },
    { what: 'the management address', change: (vm: ReturnType<typeof daemon>['vm']) => (vm.ipv4 = ['10.120.52.99']) },
    { what: 'the release', change: (vm: ReturnType<typeof daemon>['vm']) => (vm.release = 'Ubuntu 24.04.2 LTS') },
  ])('a change of $what tells onChange listeners at the next poll, once', async ({ change }) => {
    const version = watcher.snapshot().version;
    change(d.vm);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(changes).toHaveBeenCalledTimes(1);
    expect(watcher.snapshot().version).toBe(version + 1);
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(changes).toHaveBeenCalledTimes(1);
  });

  it('the daemon going away is a change (the banner), and its return is another', async () => {
    d.daemon.down = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(changes).toHaveBeenCalledTimes(1);
    expect(watcher.snapshot().error?.kind).toBe('daemon-down');
    expect(watcher.snapshot().instances).toHaveLength(1); // the last good answer is kept
    d.daemon.down = false;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(changes).toHaveBeenCalledTimes(2);
    expect(watcher.snapshot().error).toBeNull();
  });
});
