/** Tells the live views that forwards or their status changed (in this process). */
const listeners = new Set<() => void>();

export function onHostChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hostChanged(): void {
  for (const l of listeners) l();
}
