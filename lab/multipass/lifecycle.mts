// What the Multipass daemon does when asked to start, stop, suspend, restart, delete or purge
// (canonical/multipass src/daemon/daemon.cpp): which instances a call may name, the refusals
// word for word with their status codes, and the states an instance passes through. A start or
// a restart answers once the instance is up again; a stop with a delay leaves it in "Delayed
// Shutdown" until its time comes or the stop is cancelled. What the lab does to a VM's network
// when it goes down or comes up is handed in, so this runs in unit tests on a state in memory.
import { DEFAULT_DISK, DEFAULT_MEMORY, findImage, launchErrors, parseMemorySize, type LaunchArgs } from './launch.mts';
import type { InstanceStateWord, StandInInstance, StandInState } from './model.mts';

/** gRPC status codes the daemon answers with. */
export const CODES = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9, ABORTED: 10 } as const;

export class Refusal extends Error {
  readonly code: number;
  readonly launchErrors: number[]; // LaunchError's codes, sent as the status's details
  constructor(code: number, message: string, launchErrors: number[] = []) {
    super(message);
    this.code = code;
    this.launchErrors = launchErrors;
  }
}

/** One LaunchReply as the daemon streams them: a step's words, a progress figure, or the name at the end. */
export type LaunchStep =
  | { create_message: string }
  | { launch_progress: { type: 'IMAGE' | 'EXTRACT' | 'VERIFY' | 'WAITING'; percent_complete: string } }
  | { vm_instance_name: string };

export type LifecycleCall =
  | { op: 'start'; names: string[] }
  | { op: 'stop'; names: string[]; minutes: number; cancel: boolean; force: boolean }
  | { op: 'suspend'; names: string[] }
  | { op: 'restart'; names: string[] }
  | { op: 'delete'; names: string[]; purge: boolean }
  | { op: 'purge' };

export interface LifecycleHooks {
  /** Reads the daemon's state, lets `change` edit it and keeps what it did. */
  update(change: (state: StandInState) => void): Promise<StandInState>;
  /** The VM's network as it goes down (stopped, suspended, deleted) or comes up; up returns its address. */
  network: { up(name: string): Promise<string>; down(name: string): Promise<void> };
  /** How long a boot takes, a shutdown's minute, and waiting. */
  bootMs: number;
  minuteMs: number;
  downloadStepMs: number; // each tenth of an image's download
  sleep(ms: number): Promise<void>;
  /** A launched instance runs: what its cloud-init does (a Kubernetes worker joins). */
  launched?(name: string, address: string, userData: string): Promise<void>;
  /** An instance is purged: what it took on the host goes with it. */
  purged?(name: string): Promise<void>;
}

const RUNNING = new Set<InstanceStateWord>(['Running', 'Delayed Shutdown']);

/** One daemon's lifecycle calls; a delayed shutdown's timer lives as long as the daemon. */
export class Lifecycle {
  private readonly shutdowns = new Map<string, NodeJS.Timeout>();

  private readonly hooks: LifecycleHooks;

  constructor(hooks: LifecycleHooks) {
    this.hooks = hooks;
  }

  /** The names a call may act on, as select_instances_and_react picks them; `existing`: deleted ones too. */
  private select(state: StandInState, names: string[], existing: boolean): StandInInstance[] {
    if (names.length === 0) return state.instances.filter((i) => existing || i.state !== 'Deleted');
    return [...new Set(names)].map((name) => {
      const found = state.instances.find((i) => i.name === name);
      if (!found) throw new Refusal(CODES.NOT_FOUND, `instance "${name}" does not exist`);
      if (!existing && found.state === 'Deleted') throw new Refusal(CODES.INVALID_ARGUMENT, `instance "${name}" is deleted`);
      return found;
    });
  }

  private cancelShutdown(name: string): void {
    clearTimeout(this.shutdowns.get(name));
    this.shutdowns.delete(name);
  }

  private async setState(name: string, to: InstanceStateWord, ipv4?: string[]): Promise<void> {
    await this.hooks.update((s) => {
      const i = s.instances.find((x) => x.name === name);
      if (!i) return;
      i.state = to;
      if (ipv4) i.ipv4 = ipv4;
    });
  }

  private async goDown(name: string, to: InstanceStateWord): Promise<void> {
    this.cancelShutdown(name);
    await this.hooks.network.down(name);
    await this.setState(name, to);
  }

  /** Boots (or reboots) an instance and answers once it is up, with its address first as DHCP gave it. */
  private async boot(i: StandInInstance, via: 'Starting' | 'Restarting'): Promise<void> {
    await this.setState(i.name, via);
    if (via === 'Restarting') await this.hooks.network.down(i.name);
    await this.hooks.sleep(this.hooks.bootMs);
    const address = await this.hooks.network.up(i.name);
    await this.setState(i.name, 'Running', [address, ...i.ipv4.slice(1)]);
  }

  /** Runs one call; the names of purged instances for delete and purge. */
  async run(call: LifecycleCall): Promise<{ purged: string[] }> {
    const state = await this.hooks.update(() => {});
    switch (call.op) {
      case 'start': {
        let chosen: StandInInstance[];
        try {
          chosen = this.select(state, call.names, false);
        } catch {
          throw new Refusal(CODES.ABORTED, 'instance(s) missing');
        }
        const errors: string[] = [];
        const booting: Promise<void>[] = [];
        for (const i of chosen) {
          if (i.state === 'Unknown') errors.push(`Instance '${i.name}' is already running, but in an unknown state`);
          else if (i.state === 'Suspending') errors.push(`Cannot start the instance '${i.name}' while suspending`);
          else if (i.state === 'Delayed Shutdown') {
            this.cancelShutdown(i.name);
            await this.setState(i.name, 'Running');
          } else if (i.state !== 'Running') booting.push(this.boot(i, 'Starting'));
        }
        await Promise.all(booting);
        if (errors.length) throw new Refusal(CODES.FAILED_PRECONDITION, errors.join('\n'));
        return { purged: [] };
      }
      case 'stop': {
        for (const i of this.select(state, call.names, false)) {
          if (call.cancel) {
            if (i.state === 'Delayed Shutdown') {
              this.cancelShutdown(i.name);
              await this.setState(i.name, 'Running');
            }
          } else if (call.force) await this.goDown(i.name, 'Stopped');
          else if (i.state === 'Stopped' || i.state === 'Suspended')
            continue; // "does not need stopping"
          else if (call.minutes > 0) {
            this.cancelShutdown(i.name);
            await this.setState(i.name, 'Delayed Shutdown');
            const timer = setTimeout(() => void this.goDown(i.name, 'Stopped'), call.minutes * this.hooks.minuteMs);
            timer.unref?.();
            this.shutdowns.set(i.name, timer);
          } else await this.goDown(i.name, 'Stopped');
        }
        return { purged: [] };
      }
      case 'suspend':
        for (const i of this.select(state, call.names, false)) {
          if (!RUNNING.has(i.state)) continue;
          await this.setState(i.name, 'Suspending');
          await this.goDown(i.name, 'Suspended');
        }
        return { purged: [] };
      case 'restart': {
        const chosen = this.select(state, call.names, false);
        const down = chosen.find((i) => !RUNNING.has(i.state));
        if (down) throw new Refusal(CODES.INVALID_ARGUMENT, `instance "${down.name}" is not running`);
        for (const i of chosen) this.cancelShutdown(i.name);
        await Promise.all(chosen.map((i) => this.boot(i, 'Restarting')));
        return { purged: [] };
      }
      case 'delete': {
        const chosen = this.select(state, call.names, true);
        for (const i of chosen) if (i.state !== 'Deleted') await this.goDown(i.name, 'Deleted');
        if (!call.purge) return { purged: [] };
        return this.purge(chosen.map((i) => i.name));
      }
      case 'purge':
        return this.purge(state.instances.filter((i) => i.state === 'Deleted').map((i) => i.name));
    }
  }

  private async purge(names: string[]): Promise<{ purged: string[] }> {
    await this.hooks.update((s) => {
      s.instances = s.instances.filter((i) => !names.includes(i.name));
    });
    for (const name of names) await this.hooks.purged?.(name);
    return { purged: names };
  }

  /**
   * A launch as the daemon makes it: the request checked whole first, then the image downloaded
   * (once; later launches find it cached) and verified, the VM created, booted and waited for.
   */
  async launch(args: LaunchArgs, step: (reply: LaunchStep) => void): Promise<string> {
    const errors = launchErrors(args);
    if (errors.length) throw new Refusal(CODES.INVALID_ARGUMENT, 'Invalid arguments supplied', errors);
    const name = args.name || `lab-${Date.now().toString(36)}`;
    if ((await this.hooks.update(() => {})).instances.some((i) => i.name === name))
      throw new Refusal(CODES.INVALID_ARGUMENT, `instance "${name}" already exists`);
    const image = findImage(args.image);
    if (!image) throw new Refusal(CODES.FAILED_PRECONDITION, `Unable to find an image matching "${args.image}" in remote "release".`);
    step({ create_message: `Creating ${name}` });
    if (!(await this.hooks.update(() => {})).cachedImages?.includes(image.codename)) {
      for (let percent = 0; percent <= 100; percent += 10) {
        step({ launch_progress: { type: 'IMAGE', percent_complete: String(percent) } });
        if (percent < 100) await this.hooks.sleep(this.hooks.downloadStepMs);
      }
      step({ launch_progress: { type: 'VERIFY', percent_complete: '100' } });
      await this.hooks.update((s) => void (s.cachedImages = [...(s.cachedImages ?? []), image.codename]));
    }
    step({ create_message: `Configuring ${name}` });
    const memory = parseMemorySize(args.memory || DEFAULT_MEMORY)!;
    const disk = parseMemorySize(args.disk || DEFAULT_DISK)!;
    const instance: StandInInstance = {
      name,
      state: 'Stopped',
      ipv4: [],
      cpuCount: String(args.cpus || 1),
      load: [0.12, 0.05, 0.01],
      disk: { used: String(Math.min(disk, 2_100_000_000)), total: String(disk) },
      memory: { used: Math.floor(memory / 5), total: memory },
      snapshotCount: '0',
      mounts: {},
      zone: 'zone1',
    };
    await this.hooks.update((s) => void s.instances.push(instance));
    step({ create_message: `Starting ${name}` });
    step({ launch_progress: { type: 'WAITING', percent_complete: '-1' } });
    await this.boot(instance, 'Starting');
    const address = (await this.hooks.update(() => {})).instances.find((i) => i.name === name)!.ipv4[0]!;
    await this.hooks.launched?.(name, address, args.userData);
    step({ vm_instance_name: name });
    return name;
  }

  /** The daemon stops: its pending shutdowns go with it. */
  close(): void {
    for (const name of [...this.shutdowns.keys()]) this.cancelShutdown(name);
  }
}
