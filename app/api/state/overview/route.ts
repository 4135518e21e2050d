import { sessionGet } from '@/lib/auth/route';
import { overviewView } from '@/lib/views';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(() => overviewView());
