import { onHostChange } from '@/lib/host/events';
import { hostRoute } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

const encoder = new TextEncoder();

/**
 * The host role's changes as server-sent events — a `change` whenever forwards or their status
 * changed (a change made here, the reconciler's repair, a re-point) — for the ui role, which
 * passes them on to its open pages (lib/host/follow.ts).
 */
export const GET = hostRoute(async ({ req }) => {
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const off = onHostChange(() => send(`event: change\ndata: ${Date.now()}\n\n`));
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), 15_000);
      cleanup = () => {
        off();
        clearInterval(heartbeat);
      };
      req.signal.addEventListener('abort', () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
      send('event: ready\ndata: {}\n\n');
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } });
});
