import { env } from '@/lib/env';
import { processSlot } from '@/lib/process-wide';

const done = processSlot<boolean>('firstSyncDone');

/** The reconciler's first sync has run, well or not: the process has done what a start owes the kernel. */
export const firstSyncFinished = (): void => done.set(true);

/**
 * Whether this process has done what a start owes the kernel: in roles host and all, the
 * reconciler's first sync (every stored forward applied, the reboot case) has run. The host
 * unit waits for it before it counts as started, so the dashboard never comes up first.
 */
export const firstSyncDone = (): boolean => env().role === 'ui' || done.get() === true;
