import Link from 'next/link';
import { LiveIndicator } from '@/components/providers/LiveUpdates';
import { QueryProvider } from '@/components/providers/QueryProvider';
import { LogoutButton } from '@/components/session/LogoutButton';
import { Nav } from '@/components/shell/Nav';
import { StoreNotice, storeTrouble } from '@/components/shell/StoreNotice';
import { PlainHttpWarning } from '@/components/session/TransportNotice';
import { requireSession } from '@/lib/auth/request';
import { plainHttpOverNetwork } from '@/lib/server/tls-info';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  try {
    await requireSession();
  } catch (e) {
    // A store that cannot even be read: the page says why instead of failing.
    return (
      <main id="main" className="p-6 md:p-8">
        <StoreNotice message={storeTrouble(e)} />
      </main>
    );
  }
  return (
    <QueryProvider>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-10">
        Skip to content
      </a>
      <div className="flex min-h-dvh flex-col md:flex-row">
        <aside className="border-b border-zinc-200 bg-white p-3 md:w-56 md:shrink-0 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
          <div className="mb-3 flex items-center justify-between px-3 md:mb-6">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              labgate
            </Link>
            <div className="md:hidden">
              <LogoutButton />
            </div>
          </div>
          <Nav />
          <div className="mt-4 px-3">
            <LiveIndicator />
          </div>
          <div className="mt-4 hidden px-0 md:block">
            <LogoutButton />
          </div>
        </aside>
        {/* min-w-0: a wide table scrolls inside its own box instead of widening the page. */}
        <main id="main" className="min-w-0 flex-1 p-6 md:p-8">
          {(await plainHttpOverNetwork()) ? <PlainHttpWarning /> : null}
          <StoreNotice />
          {children}
        </main>
      </div>
    </QueryProvider>
  );
}
