import { sessionGet } from '@/lib/auth/route';
import { problem } from '@/lib/http';
import { ServicesQuery } from '@/lib/schemas/state';
import { servicesView } from '@/lib/views';

export const dynamic = 'force-dynamic';

export const GET = sessionGet(async (req) => {
  const query = ServicesQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) return problem(400, query.error.issues[0]?.message ?? 'Bad query.');
  return servicesView(query.data.namespace);
});
