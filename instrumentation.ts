/** Runs once when a server process starts: the store and the admin account are ready before the first request. */
export async function register() {
  // Not while `next build` collects pages: a build must not create or touch a data dir.
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    try {
      const { serverReady } = await import('./instrumentation-node');
      await serverReady();
    } catch (e) {
      // A bad setting stops the process with its message: Next would log it and serve anyway,
      // every request then failing, and systemd would count the unit as running.
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    }
  }
}
