'use client';

import { useState } from 'react';
import { changeInstance } from '@/app/actions/instances';
import { useLiveMutation } from '@/components/providers/useLiveMutation';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { Spinner } from '@/components/ui/Spinner';
import { ACTION_WORDS, instanceActions } from '@/lib/domain/cluster/instances';
import { MAX_STOP_DELAY_MINUTES, type InstanceChange } from '@/lib/schemas/instances';
import type { InstanceRow } from '@/lib/wire';

const LABELS: Record<InstanceChange['action'], string> = {
  start: 'Start',
  stop: 'Stop…',
  'cancel-stop': 'Cancel shutdown',
  restart: 'Restart',
  suspend: 'Suspend',
  delete: 'Delete…',
};

/**
 * An instance's life from its row: what the daemon would take in its state, each through the
 * host role. Stop asks when (now, or in N minutes: the daemon's delayed shutdown); delete names
 * what points at the instance before it goes.
 */
export function InstanceActions({ row }: { row: InstanceRow }) {
  const mutation = useLiveMutation(changeInstance, (done) => done.message);
  const [doing, setDoing] = useState('');
  const [asking, setAsking] = useState<'stop' | 'delete' | null>(null);
  const [delay, setDelay] = useState('0');
  const [purge, setPurge] = useState(false);
  const name = row.name;
  const busy = mutation.pending ? doing : null;

  async function run(change: InstanceChange): Promise<boolean> {
    setDoing(`${ACTION_WORDS[change.action]!.doing} ${name}`);
    return (await mutation.run(change)).ok;
  }

  function ask(what: 'stop' | 'delete') {
    setAsking(what);
    setDelay('0');
    setPurge(row.state === 'Deleted');
    mutation.reset();
  }

  async function confirm() {
    const change: InstanceChange =
      asking === 'stop'
        ? { instance: name, action: 'stop', delayMinutes: /^\d{1,4}$/.test(delay) ? Number(delay) : Number.NaN }
        : { instance: name, action: 'delete', purge };
    if (await run(change)) setAsking(null);
  }

  return (
    <span className="flex flex-wrap items-center gap-1">
      {busy ? <Spinner label={busy} /> : null}
      {(busy ? [] : instanceActions(row.state)).map((action) => (
        <Button
          key={action}
          variant="secondary"
          size="sm"
          aria-label={`${LABELS[action].replace('…', '')} ${name}`}
          onClick={() => (action === 'stop' || action === 'delete' ? ask(action) : void run({ instance: name, action } as InstanceChange))}
        >
          {row.state === 'Deleted' && action === 'delete' ? 'Purge…' : LABELS[action]}
        </Button>
      ))}
      <Dialog
        open={asking !== null}
        title={asking === 'stop' ? `Stop ${name}` : `Delete ${name}`}
        onClose={() => setAsking(null)}
        actions={
          <>
            <Button variant="ghost" onClick={() => setAsking(null)}>
              Cancel
            </Button>
            <Button disabled={!!busy} onClick={() => void confirm()}>
              {asking === 'stop' ? `Stop ${name}` : `Delete ${name}`}
            </Button>
          </>
        }
      >
        {asking === 'stop' ? (
          <label className="block">
            <span className="font-medium">Stop in (minutes)</span>
            <input
              type="number"
              min={0}
              max={MAX_STOP_DELAY_MINUTES}
              value={delay}
              onChange={(e) => setDelay(e.target.value)}
              className="mt-1 block w-28 rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
            />
            <span className="mt-1 block text-zinc-600 dark:text-zinc-400">
              0 stops it now; later, it shows as Delayed Shutdown and the shutdown can be cancelled.
            </span>
          </label>
        ) : null}
        {asking === 'delete' ? (
          <>
            <p>
              {row.forwards.length
                ? `These forwards point at ${name}; they stay, marked stale, without a target: ${row.forwards.map((f) => f.name).join(', ')}.`
                : `No forward points at ${name}.`}
            </p>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={purge} disabled={row.state === 'Deleted'} onChange={(e) => setPurge(e.target.checked)} />
              <span>Purge: gone for good (without it, Multipass can still recover it)</span>
            </label>
          </>
        ) : null}
        {asking && mutation.error ? (
          <p role="alert" className="text-red-700 dark:text-red-400">
            {mutation.error}
          </p>
        ) : null}
      </Dialog>
    </span>
  );
}
