import { sessionGet } from '@/lib/auth/route';
import { auditAnswer } from '@/lib/views/host';

export const dynamic = 'force-dynamic';

/** The activity log: a page as JSON (`?limit=&before=`), or all of it as CSV (`?format=csv`). */
export const GET = sessionGet((req) => auditAnswer(req));
