/**
 * Process-wide state. Next bundles route handlers, actions and instrumentation apart, each with
 * its own copy of a module, and its dev server reloads modules; a connection, a watch, a timer
 * or a listener set must still be one per process. Each is kept on globalThis under
 * `Symbol.for('labgate.<name>')`, which a preload (node --import) can reach without importing.
 */
export interface ProcessSlot<T> {
  get(): T | undefined;
  set(value: T | undefined): void;
}

export function processSlot<T>(name: string): ProcessSlot<T> {
  const key = Symbol.for(`labgate.${name}`);
  const global = globalThis as unknown as Record<symbol, T | undefined>;
  return { get: () => global[key], set: (value) => void (global[key] = value) };
}

/** The one value of this process by that name, made at first use. */
export function processSingleton<T>(name: string, make: () => T): () => T {
  const slot = processSlot<T>(name);
  return () => {
    const had = slot.get();
    if (had !== undefined) return had;
    const made = make();
    slot.set(made);
    return made;
  };
}
