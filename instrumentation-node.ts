import 'server-only';
import { ensureAdminPassword } from '@/lib/auth/admin';
import { purgeExpiredSessions } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { firstSyncFinished } from '@/lib/host/first-sync';
import { processSlot } from '@/lib/process-wide';
import { db } from '@/lib/store/db';

// The process's start, run once from instrumentation.ts: the top of the server, which nothing in lib/ imports.
const ready = processSlot<Promise<void>>('serverReady');
const ownership = processSlot<unknown>('hostOwnership'); // held for the life of the process

/** A half-done Expose from before a crash is rolled back once the cluster cache is ready. */
async function recoverAfterCrash(): Promise<void> {
  try {
    const { CACHE_READY_MS, kubeCache } = await import('@/lib/kube/cache');
    await kubeCache().ready(2 * CACHE_READY_MS); // a restart may come while the apiserver is still starting too
    const { recoverExposes } = await import('@/lib/expose/steps');
    const n = await recoverExposes();
    if (n) console.log(`labgate: rolled back ${n} Expose(s) left half-done by a crash`);
  } catch (e) {
    console.error(`labgate: crash recovery failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * One owner per host: the host role (and role all) takes the host before it touches the
 * firewall. A second copy stops here with a message naming the first.
 */
async function takeHost(): Promise<void> {
  const { HostOwnership, installId } = await import('@/lib/host/owner');
  const { runtimeDir, dataDir } = env();
  ownership.set(await HostOwnership.take({ runtimeDir, dataDir, installId: installId(db()) }));
}

/** The host role keeps the kernel true to the store from the moment it starts, and probes what it forwards. */
async function startReconciler(): Promise<void> {
  const { hostService } = await import('@/lib/host/wiring');
  const { Reconciler } = await import('@/lib/host/reconciler');
  const host = await hostService();
  const reconciler = new Reconciler(host);
  reconciler
    .start()
    .catch((e: unknown) => console.error(`labgate: the reconciler could not start: ${e instanceof Error ? e.message : String(e)}`))
    .finally(() => {
      firstSyncFinished();
      host.health.start(); // probed once the forwards are in the kernel
    });
}

/**
 * Runs once per server process, from instrumentation:
 * opens and migrates the store; where people log in (roles all and ui), makes sure the admin
 * account has a password and prints a generated one once. The host role is an API: no login.
 */
export function serverReady(): Promise<void> {
  const started = ready.get();
  if (started) return started;
  const starting = (async () => {
    const store = db();
    const { role } = env();
    if (role !== 'ui') {
      await takeHost();
      await startReconciler();
    }
    if (role === 'host') return;
    if (role === 'ui') (await import('@/lib/host-api/follow')).followHostChanges();
    purgeExpiredSessions(store);
    const { generated } = await ensureAdminPassword(store, env().adminPassword);
    // Half-done Exposes rolled back first; then the Services' labgate.dev/expose annotations are kept true.
    void recoverAfterCrash().then(async () => (await import('@/lib/expose/annotations')).startAnnotationExposer());
    // The role that holds the CA keeps the HTTPS exposures' certificates from running out.
    new (await import('@/lib/server/certificate-renewal')).CertificateRenewal().start();
    if (generated) {
      console.log(
        `labgate: generated the admin password: ${generated}\n` +
          'labgate: it is shown only this once; set a new one with `npm run labgate -- reset-password`.',
      );
    }
  })();
  ready.set(starting);
  return starting;
}
