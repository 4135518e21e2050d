import { sessionGet } from '@/lib/auth/route';
import { rulesAnswer } from '@/lib/views/host';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(() => rulesAnswer());
