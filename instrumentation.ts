/** Runs once when a server process starts: the store and the admin account are ready before the first request. */
export async function register() {
  // Not while `next build` collects pages: a build must not create or touch a data dir.
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    const { serverReady } = await import('./lib/server/start');
    await serverReady();
  }
}
