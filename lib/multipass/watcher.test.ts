import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStandInDaemon, type StandInDaemon } from '@/lab/multipass/daemon.mts';
import { seedState } from '@/lab/multipass/model.mts';
import { selfSignedIdentity } from '@/lib/tls/certificates.mts';
import { MultipassRpc } from './rpc.mts';
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

describe('MultipassWatcher and a daemon slow to answer, over a real socket', () => {
  let dir: string;
  let standIn: StandInDaemon;
  beforeEach(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-slow-mpd-'))));
  afterEach(async () => {
    await standIn?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('info taking a second (a real daemon reaches into each VM): one call at a time, every answer kept, none after stop', async () => {
    const socket = path.join(dir, 'multipass_socket');
    standIn = await startStandInDaemon({ socket, state: () => ({ ...seedState('zones'), answerDelayMs: 1_000 }) });
    const rpc = new MultipassRpc(socket, await selfSignedIdentity('multipass-client', 30));
    let calls = 0;
    let inFlight = 0;
    let most = 0;
    const source = async () => {
      calls++;
      most = Math.max(most, ++inFlight);
      try {
        return await rpc.info();
      } finally {
        inFlight--;
      }
    };
    const watcher = new MultipassWatcher(source, 10); // asked far more often than it answers
    try {
      await watcher.ready();
      expect(watcher.snapshot()).toMatchObject({
        error: null,
        instances: expect.arrayContaining([expect.objectContaining({ name: 'ops' })]),
      });
      await new Promise((r) => setTimeout(r, 2_500));
      watcher.stop();
      expect(most).toBe(1);
      expect(calls).toBeGreaterThanOrEqual(3);
      const stoppedAt = calls;
      await new Promise((r) => setTimeout(r, 1_500)); // the call still out ends; no next one follows it
      expect(calls).toBe(stoppedAt);
    } finally {
      watcher.stop();
      rpc.close();
    }
  }, 15_000);
});
