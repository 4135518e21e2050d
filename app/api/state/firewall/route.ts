import { sessionGet } from '@/lib/auth/route';
import { firewallAnswer } from '@/lib/views/host';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(() => firewallAnswer());
