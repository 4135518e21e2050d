import { sessionGet } from '@/lib/auth/route';
import { instancesView } from '@/lib/state';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(() => instancesView());
