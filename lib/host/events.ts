import { processSingleton } from '@/lib/process-wide';

/**
 * Tells the live views that forwards or their status changed (in this process). One listener
 * set per process: a change raised in one bundle's copy of this module must reach the streams of all.
 */
const listeners = processSingleton('hostListeners', () => new Set<() => void>())();

export function onHostChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hostChanged(): void {
  for (const l of listeners) l();
}
