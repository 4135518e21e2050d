'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { setLoggingOut, toLoginAndBack } from '@/lib/fetch-json';
import { queryKeys } from '@/lib/query-keys';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * Listens to the server's change events and refetches the live queries when the cluster or
 * Multipass changes. EventSource reconnects by itself; while it is away, queries poll.
 */
export function useLiveUpdates(): LiveStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    setLoggingOut(false); // a dashboard again: a session ending from now on goes back to the login
    const source = new EventSource('/api/state/events');
    const refresh = () => void client.invalidateQueries({ queryKey: queryKeys.state });
    source.addEventListener('ready', () => {
      setStatus('live');
      refresh();
    });
    source.addEventListener('change', refresh);
    // The session ended (logout elsewhere, expiry, password reset): the server closed the stream.
    source.addEventListener('ended', () => {
      source.close();
      toLoginAndBack();
    });
    source.onerror = () => setStatus('reconnecting');
    return () => source.close();
  }, [client]);
  return status;
}

export function LiveIndicator() {
  const status = useLiveUpdates();
  const label = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }[status];
  return (
    <span role="status" className="inline-flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
      <span aria-hidden="true" className={`size-2 rounded-full ${status === 'live' ? 'bg-emerald-500' : 'bg-amber-500'}`} />
      {label}
    </span>
  );
}
