/**
 * Tells the live views that forwards or their status changed (in this process). The listeners
 * live on globalThis: Next bundles routes and instrumentation apart, each with its own copy of
 * this module, and a change raised in one must reach the streams of all.
 */
const holder = globalThis as typeof globalThis & { labgateHostListeners?: Set<() => void> };
const listeners = (holder.labgateHostListeners ??= new Set<() => void>());

export function onHostChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hostChanged(): void {
  for (const l of listeners) l();
}
