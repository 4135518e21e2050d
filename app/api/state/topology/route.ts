import { sessionGet } from '@/lib/auth/route';
import { topologyView } from '@/lib/state';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(() => topologyView());
