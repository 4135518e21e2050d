// A crash test's preload (`node --import`): holds the server at the Expose or Undo boundary that
// LABGATE_TEST_PAUSE_AT names, for the test to kill it there with SIGKILL. Only the crash test
// loads it; labgate itself reads no such setting (lib/expose/pause.ts).
const at = process.env.LABGATE_TEST_PAUSE_AT;
if (at) {
  // lib/process-wide.ts's slot 'exposePause'
  (globalThis as unknown as Record<symbol, (boundary: string) => Promise<void>>)[Symbol.for('labgate.exposePause')] = async (boundary) => {
    if (boundary !== at) return;
    console.log(`labgate: paused at ${boundary}`);
    await new Promise(() => {});
  };
}
