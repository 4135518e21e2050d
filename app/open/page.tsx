import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { OPEN_PATH } from '@/lib/auth/exposure-gate';
import { safeNextPath } from '@/lib/auth/next-path';
import { currentSession } from '@/lib/auth/request';
import { clientKey } from '@/lib/http';
import { linkToExposure } from '@/lib/server/exposure-gate';

export const metadata: Metadata = { title: 'Open an exposure' };

const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');

/** Where an exposure with "Sign in with labgate" sends a browser that has no cookie for it yet. */
export default async function OpenPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const name = one(params.name).toLowerCase();
  const next = safeNextPath(one(params.next));
  const session = await currentSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(`${OPEN_PATH}?${new URLSearchParams({ name, next })}`)}`);
  const link = await linkToExposure(session, name, next, clientKey(await headers()));
  if (link.ok) redirect(link.data);
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div
        role="alert"
        className="w-full max-w-md rounded-xl border border-red-200 bg-white p-8 shadow-sm dark:border-red-900 dark:bg-zinc-900"
      >
        <h1 className="text-xl font-semibold">labgate cannot open this</h1>
        <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">{link.error}</p>
        <Link className="mt-4 inline-block text-sm text-blue-700 underline dark:text-blue-400" href="/">
          Back to the dashboard
        </Link>
      </div>
    </main>
  );
}
