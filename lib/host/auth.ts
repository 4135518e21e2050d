import 'server-only';
import { bearerMatches } from '@/lib/auth/bearer';
import { authenticateRequest } from '@/lib/auth/request';
import { env } from '@/lib/env';
import { problem } from '@/lib/http';

export type HostActor = { ok: true; actor: string } | { ok: false; response: Response };

/** Set by the ui role's HostClient for the person it acts for; believed only with the host token. */
export const ACTOR_HEADER = 'x-labgate-actor';
const ACTOR = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * The host API accepts an admin session, or `Authorization: Bearer <host token>` from the UI role.
 * The actor is the server's to set: "admin" for a session, the ui role's word for the token.
 */
export function requireHostAuth(req: Request): HostActor {
  const header = req.headers.get('authorization');
  if (header !== null) {
    if (bearerMatches(header, env().hostToken)) {
      const claimed = req.headers.get(ACTOR_HEADER) ?? '';
      return { ok: true, actor: ACTOR.test(claimed) ? claimed : 'ui' };
    }
    return { ok: false, response: problem(401, 'The host token is missing or wrong.') };
  }
  // The host role has no login: only the token opens it.
  if (env().role === 'host') return { ok: false, response: problem(401, 'The host role takes only the host token.') };
  const session = authenticateRequest(req);
  return session.ok ? { ok: true, actor: 'admin' } : session;
}
