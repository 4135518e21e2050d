import { sessionGet } from '@/lib/auth/route';
import { instancesView } from '@/lib/views';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(() => instancesView());
