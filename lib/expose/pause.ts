// Where a crash test stops an Expose or Undo between two steps, to kill the process there. The
// hook is set only by the crash test's preload (lab/pause-at.mts), never in a deployment.
import { processSlot } from '@/lib/process-wide';

/** The boundaries between an Expose's (or an Undo's) steps. */
export type ExposeBoundary =
  | 'expose:journal-written'
  | 'expose:service-patched'
  | 'expose:forward-created'
  | 'expose:url-verified'
  | 'expose:journal-done'
  | 'undo:journal-written'
  | 'undo:forward-removed'
  | 'undo:service-restored'
  | 'undo:journal-done';

const hook = processSlot<(at: ExposeBoundary) => Promise<void>>('exposePause');

/** Passes a boundary: at once, unless a crash test's hook holds the process there. */
export const boundary = (at: ExposeBoundary): Promise<void> => hook.get()?.(at) ?? Promise.resolve();
