import 'server-only';
import { Agent, fetch as undiciFetch } from 'undici';
import { env } from '@/lib/env';
import { processSlot } from '@/lib/process-wide';

/** `unix:/run/labgate/host.sock` → the socket's path; an http(s) URL → null. */
export const socketPathOf = (hostUrl: string): string | null => (hostUrl.startsWith('unix:') ? hostUrl.slice('unix:'.length) : null);

const socketAgent = processSlot<{ path: string; agent: Agent }>('hostAgent');

/**
 * A request to the host role at LABGATE_HOST_URL: over its unix socket (the units: a file only
 * the two labgate users may open, which no other local user can take while the host role
 * restarts), or over TCP (role all, tests). The host token goes with every request either way.
 */
export function hostFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const { hostUrl } = env();
  const socketPath = socketPathOf(hostUrl);
  if (!socketPath) return fetch(new URL(path, hostUrl), init);
  let held = socketAgent.get();
  if (held?.path !== socketPath) socketAgent.set((held = { path: socketPath, agent: new Agent({ connect: { socketPath } }) }));
  const { agent } = held;
  return undiciFetch(new URL(path, 'http://localhost'), { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
}
