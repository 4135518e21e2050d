import { authenticateRequest } from '@/lib/auth/request';
import { onStateChange } from '@/lib/state';

export const dynamic = 'force-dynamic';

const encoder = new TextEncoder();

/**
 * Server-sent events: a `change` whenever the shared cache or Multipass changed (at most one per
 * 200 ms), so open pages refetch at once instead of polling.
 */
export function GET(req: Request) {
  const auth = authenticateRequest(req);
  if (!auth.ok) return auth.response;
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
      let pending: NodeJS.Timeout | null = null;
      const off = onStateChange(() => {
        pending ??= setTimeout(() => {
          pending = null;
          send(`event: change\ndata: ${Date.now()}\n\n`);
        }, 200);
      });
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), 15_000);
      cleanup = () => {
        off();
        clearInterval(heartbeat);
        if (pending) clearTimeout(pending);
      };
      req.signal.addEventListener('abort', () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
      send('retry: 2000\nevent: ready\ndata: {}\n\n');
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
}
