import { sessionGet } from '@/lib/auth/route';
import { nodesView } from '@/lib/views';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(() => nodesView());
