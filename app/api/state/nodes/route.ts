import { sessionGet } from '@/lib/auth/route';
import { nodesView } from '@/lib/state';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(() => nodesView());
