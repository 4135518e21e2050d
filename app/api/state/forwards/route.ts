import { sessionGet } from '@/lib/auth/route';
import { forwardsAnswer } from '@/lib/views/host';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(() => forwardsAnswer());
