import 'server-only';
import { ensureAdminPassword } from '@/lib/auth/admin';
import { purgeExpiredSessions } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { db } from '@/lib/store/db';

const holder = globalThis as typeof globalThis & { labgateReady?: Promise<void> };

/** The host role keeps the kernel true to the store from the moment it starts. */
async function startReconciler(): Promise<void> {
  const { hostService } = await import('@/lib/host/forwards');
  const { Reconciler } = await import('@/lib/host/reconciler');
  const reconciler = new Reconciler(await hostService());
  reconciler.start().catch((e: unknown) => console.error(`labgate: the reconciler could not start: ${e instanceof Error ? e.message : String(e)}`));
}

/**
 * Runs once per server process (from instrumentation, and lazily before the first login):
 * opens and migrates the store, makes sure the admin account has a password and prints a
 * generated one once.
 */
export function serverReady(): Promise<void> {
  holder.labgateReady ??= (async () => {
    const store = db();
    purgeExpiredSessions(store);
    const { generated } = await ensureAdminPassword(store, env().adminPassword);
    if (env().role !== 'ui') await startReconciler();
    if (generated) {
      console.log(
        `labgate: generated the admin password: ${generated}\n` +
          'labgate: it is shown only this once; set a new one with `npm run labgate -- reset-password`.',
      );
    }
  })();
  return holder.labgateReady;
}
