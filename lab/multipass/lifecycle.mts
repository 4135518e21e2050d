// What the Multipass daemon does when asked to start, stop, suspend, restart, delete or purge
// (canonical/multipass src/daemon/daemon.cpp): which instances a call may name, the refusals
// word for word with their status codes, and the states an instance passes through. A start or
// a restart answers once the instance is up again; a stop with a delay leaves it in "Delayed
// Shutdown" until its time comes or the stop is cancelled. What the lab does to a VM's network
// when it goes down or comes up is handed in, so this runs in unit tests on a state in memory.
import type { InstanceStateWord, StandInInstance, StandInState } from './model.mts';

/** gRPC status codes the daemon answers with. */
export const CODES = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9, ABORTED: 10 } as const;

export class Refusal extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

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
  sleep(ms: number): Promise<void>;
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
    return { purged: names };
  }

  /** The daemon stops: its pending shutdowns go with it. */
  close(): void {
    for (const name of [...this.shutdowns.keys()]) this.cancelShutdown(name);
  }
}
