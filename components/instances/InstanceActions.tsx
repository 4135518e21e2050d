'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { changeInstance } from '@/app/actions/instances';
import { Button } from '@/components/ui/Button';
import { Spinner } from '@/components/ui/Spinner';
import { useToast } from '@/components/ui/Toaster';
import { ACTION_WORDS, instanceActions } from '@/lib/domain/instances';
import type { InstanceRow } from '@/lib/domain/views';
import { queryKeys } from '@/lib/query-keys';
import { MAX_STOP_DELAY_MINUTES, type InstanceChange } from '@/lib/schemas/instances';

const LABELS: Record<InstanceChange['action'], string> = {
  start: 'Start',
  stop: 'Stop…',
  'cancel-stop': 'Cancel shutdown',
  restart: 'Restart',
  suspend: 'Suspend',
  delete: 'Delete…',
};

const dialogClass =
  'm-auto w-full max-w-md rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100';

/**
 * An instance's life from its row: what the daemon would take in its state, each through the
 * host role. Stop asks when (now, or in N minutes: the daemon's delayed shutdown); delete names
 * what points at the instance before it goes.
 */
export function InstanceActions({ row }: { row: InstanceRow }) {
  const client = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const [asking, setAsking] = useState<'stop' | 'delete' | null>(null);
  const [delay, setDelay] = useState('0');
  const [purge, setPurge] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const name = row.name;

  async function run(change: InstanceChange): Promise<boolean> {
    setBusy(`${ACTION_WORDS[change.action]!.doing} ${name}`);
    setError(null);
    try {
      const res = await changeInstance(change);
      await client.invalidateQueries({ queryKey: queryKeys.state });
      toast(res.ok ? 'ok' : 'error', res.ok ? res.data.message : res.error);
      if (!res.ok) setError(res.fieldErrors ? Object.values(res.fieldErrors).flat().join(' ') || res.error : res.error);
      return res.ok;
    } finally {
      setBusy(null);
    }
  }

  function ask(what: 'stop' | 'delete') {
    setAsking(what);
    setDelay('0');
    setPurge(row.state === 'Deleted');
    setError(null);
    dialog.current?.showModal();
  }

  async function confirm() {
    const change: InstanceChange =
      asking === 'stop'
        ? { instance: name, action: 'stop', delayMinutes: /^\d{1,4}$/.test(delay) ? Number(delay) : Number.NaN }
        : { instance: name, action: 'delete', purge };
    if (await run(change)) dialog.current?.close();
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
      <dialog ref={dialog} aria-labelledby={`instance-${name}-title`} className={dialogClass} onClose={() => setAsking(null)}>
        <h2 id={`instance-${name}-title`} className="text-lg font-semibold">
          {asking === 'stop' ? `Stop ${name}` : `Delete ${name}`}
        </h2>
        <div className="mt-4 space-y-3 text-sm">
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
          {error ? (
            <p role="alert" className="text-red-700 dark:text-red-400">
              {error}
            </p>
          ) : null}
        </div>
        <div className="mt-6 flex justify-end gap-2">
          <Button variant="ghost" onClick={() => dialog.current?.close()}>
            Cancel
          </Button>
          <Button disabled={!!busy} onClick={() => void confirm()}>
            {asking === 'stop' ? `Stop ${name}` : `Delete ${name}`}
          </Button>
        </div>
      </dialog>
    </span>
  );
}
