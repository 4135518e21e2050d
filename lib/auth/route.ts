import 'server-only';
import { answered } from '@/lib/http';
import { authenticateRequest } from './request';

/** A read-only GET route: a live session, then the JSON the loader gives, never cached. */
export function sessionGet<T>(load: (req: Request) => Promise<T | Response>) {
  return answered(async (req: Request): Promise<Response> => {
    const auth = authenticateRequest(req);
    if (!auth.ok) return auth.response;
    const data = await load(req);
    return data instanceof Response ? data : Response.json(data, { headers: { 'cache-control': 'no-store' } });
  });
}
