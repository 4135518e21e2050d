import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/session/LoginForm';
import { StoreNotice, storeTrouble } from '@/components/shell/StoreNotice';
import { TransportNotice } from '@/components/session/TransportNotice';
import { EXPOSURE_NAME, OPEN_PATH } from '@/lib/auth/exposure-gate';
import { safeNextPath } from '@/lib/auth/next-path';
import { currentSession } from '@/lib/auth/request';

export const metadata: Metadata = { title: 'Log in' };

/** The exposure a person is signing in to open, when they came from one (its name, checked), else null. */
function openingName(next: string): string | null {
  const url = new URL(next, 'https://labgate.invalid');
  const name = url.searchParams.get('name') ?? '';
  return url.pathname === OPEN_PATH && EXPOSURE_NAME.test(name) ? name : null;
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next);
  const opening = openingName(next);
  let trouble: string | undefined;
  try {
    if (await currentSession()) redirect(next);
  } catch (e) {
    trouble = storeTrouble(e); // a redirect, or anything but the store, goes on
  }
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-xl font-semibold">labgate</h1>
        <p className="mt-1 mb-6 text-sm text-zinc-600 dark:text-zinc-400">
          {opening ? (
            <>
              Sign in with labgate to open <strong className="font-medium text-zinc-900 dark:text-zinc-100">{opening}</strong>.
            </>
          ) : (
            <>Log in to manage your lab&apos;s networking.</>
          )}
        </p>
        <StoreNotice message={trouble} />
        <LoginForm next={next} />
        <TransportNotice />
      </div>
    </main>
  );
}
