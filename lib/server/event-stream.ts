import 'server-only';

const encoder = new TextEncoder();

export interface EventStream {
  send(event: string, data?: string): void;
  close(): void;
}

/**
 * A server-sent events response, the one way labgate streams (the pages' live updates, the host
 * role's changes for the ui role): `ready` first, a keep-alive comment every 15 s, and `open`'s
 * cleanup run once, however the stream ends (the client leaves, the server closes it).
 */
export function eventStream(req: Request, open: (stream: EventStream) => () => void, preamble = ''): Response {
  let cleanup: (() => void) | null = null;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    cleanup?.();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (ended) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          end();
        }
      };
      const stream: EventStream = {
        send: (event, data = '{}') => write(`event: ${event}\ndata: ${data}\n\n`),
        close: () => {
          end();
          try {
            controller.close();
          } catch {
            /* already closed */
          }
        },
      };
      const heartbeat = setInterval(() => write(': keep-alive\n\n'), 15_000);
      const stop = open(stream);
      cleanup = () => {
        clearInterval(heartbeat);
        stop();
      };
      if (ended) cleanup(); // closed while opening
      req.signal.addEventListener('abort', stream.close);
      write(`${preamble}event: ready\ndata: {}\n\n`);
    },
    cancel: end,
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
}
