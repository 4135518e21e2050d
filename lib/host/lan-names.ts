import 'server-only';
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { alternativeName, mdnsName, publishEvent, publishProblem } from '@/lib/domain/network/lan-names';
import type { Outcome } from '@/lib/result';

const ESTABLISH_MS = 10_000; // avahi probes a name for about a second before it is the host's
const RETRY_CONFLICT_MS = 60_000;

/** Publishes names on the LAN: one name → one address, kept while labgate runs. */
export interface LanNames {
  /** Publishes the name now and waits for the LAN's answer: taken names are refused with an alternative. */
  claim(label: string, address: string): Promise<Outcome<null>>;
  /** Makes the published names exactly these (label → address), in the background. */
  sync(wanted: ReadonlyMap<string, string>): void;
  stop(): void;
}

type Entry = { address: string; child: ChildProcess | null; state: 'publishing' | 'established' | 'conflict'; at: number };

/**
 * Through the host's own mDNS responder, avahi-daemon, with its publish tool: one
 * `avahi-publish --address` per name, which holds the name until it ends (its goodbye takes it
 * off the LAN). It runs with a parent-death signal, so names never outlive labgate.
 */
export class AvahiNames implements LanNames {
  private readonly entries = new Map<string, Entry>();

  claim(label: string, address: string): Promise<Outcome<null>> {
    const e = this.entries.get(label);
    if (e?.state === 'established' && e.address === address) return Promise.resolve({ ok: true, data: null });
    this.drop(label);
    return this.publish(label, address);
  }

  sync(wanted: ReadonlyMap<string, string>): void {
    for (const label of [...this.entries.keys()]) if (wanted.get(label) !== this.entries.get(label)!.address) this.drop(label);
    for (const [label, address] of wanted) {
      const e = this.entries.get(label);
      if (e && (e.state !== 'conflict' || Date.now() - e.at < RETRY_CONFLICT_MS)) continue;
      void this.publish(label, address).then((r) => {
        if (!r.ok) console.error(`labgate: ${mdnsName(label)}: ${r.error}`);
      });
    }
  }

  stop(): void {
    for (const label of [...this.entries.keys()]) this.drop(label);
  }

  private drop(label: string): void {
    const e = this.entries.get(label);
    this.entries.delete(label);
    e?.child?.kill('SIGTERM');
  }

  private publish(label: string, address: string): Promise<Outcome<null>> {
    const name = mdnsName(label);
    const entry: Entry = { address, child: null, state: 'publishing', at: Date.now() };
    this.entries.set(label, entry);
    return new Promise((resolve) => {
      let last = '';
      let settled = false;
      const settle = (r: Outcome<null>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!r.ok) {
          entry.child?.kill('SIGTERM');
          entry.child = null;
          // A name in conflict stays known as such for a while, so the reconciler does not ask the LAN again at once.
          if (entry.state !== 'conflict' && this.entries.get(label) === entry) this.entries.delete(label);
        }
        resolve(r);
      };
      const child = spawn(
        'setpriv',
        ['--pdeathsig', 'TERM', 'avahi-publish', '--address', '--no-reverse', '--verbose', '--no-fail', name, address],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      entry.child = child;
      const timer = setTimeout(
        () =>
          settle({
            ok: false,
            status: 503,
            error: `avahi-daemon did not publish ${name} within ${ESTABLISH_MS / 1000} s${last ? ` (${last})` : ''}.`,
          }),
        ESTABLISH_MS,
      );
      child.once('error', (e: NodeJS.ErrnoException) =>
        settle({
          ok: false,
          status: 503,
          error: e.code === 'ENOENT' ? 'avahi-publish is not installed: apt install avahi-daemon avahi-utils' : e.message,
        }),
      );
      child.once('exit', () => {
        if (entry.state !== 'conflict' && this.entries.get(label) === entry) this.entries.delete(label); // the next sync publishes it again
        settle({ ok: false, status: 503, error: publishProblem(last || 'avahi-publish ended') });
      });
      readline.createInterface({ input: child.stderr! }).on('line', (line) => {
        last = line;
        const event = publishEvent(line);
        if (!event) return;
        if (event.kind === 'established') {
          entry.state = 'established';
          return settle({ ok: true, data: null });
        }
        if (event.kind === 'collision') {
          // avahi would rename it by itself; a URL that silently changes is worse than a clear no.
          entry.state = 'conflict';
          entry.at = Date.now();
          child.kill('SIGTERM');
          entry.child = null;
          if (settled) console.error(`labgate: ${name} is now claimed by another device on the LAN: it is no longer published.`);
          return settle({
            ok: false,
            status: 409,
            error: `${name} is already taken on the LAN by another device. Try ${mdnsName(alternativeName(label))}.`,
          });
        }
        settle({ ok: false, status: 503, error: publishProblem(event.message) });
      });
    });
  }
}
