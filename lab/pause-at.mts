// A crash test's preload (`node --import`): holds the server at the Expose or Undo boundary that
// LABGATE_TEST_PAUSE_AT names, for the test to kill it there with SIGKILL. Only the crash test
// loads it; labgate itself reads no such setting (lib/expose/pause.ts).
const at = process.env.LABGATE_TEST_PAUSE_AT;
if (at) {
  (globalThis as { labgateExposePause?: (boundary: string) => Promise<void> }).labgateExposePause = async (boundary) => {
    if (boundary !== at) return;
    console.log(`labgate: paused at ${boundary}`);
    await new Promise(() => {});
  };
}
