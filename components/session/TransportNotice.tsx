import { Banner } from '@/components/ui/Banner';
import { ownCa, plainHttpOverNetwork } from '@/lib/server/tls-info';

/** On the login page: how to trust labgate's CA, or a warning when the page came over plain HTTP. */
export async function TransportNotice() {
  if (await plainHttpOverNetwork()) return <PlainHttpWarning />;
  const ca = ownCa();
  if (!ca) return null;
  return (
    <section
      aria-labelledby="ca-title"
      className="mt-6 border-t border-zinc-200 pt-4 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
    >
      <h2 id="ca-title" className="font-medium text-zinc-800 dark:text-zinc-200">
        This dashboard&apos;s certificate authority
      </h2>
      <p className="mt-1">
        labgate signs its own certificate. Trust its CA once on each device (see docs/https.md) and the browser stops warning.{' '}
        <a href="/api/tls/ca" download className="text-brand-600 underline dark:text-brand-500">
          Download the CA certificate
        </a>
      </p>
      <p className="mt-2">Check that its SHA-256 fingerprint is the one the server printed:</p>
      <code className="mt-1 block font-mono text-[11px] break-all" data-testid="ca-fingerprint">
        {ca.fingerprint}
      </code>
    </section>
  );
}

export function PlainHttpWarning() {
  return (
    <Banner tone="warning" title="Plain HTTP">
      This page came over plain HTTP (LABGATE_HTTP=1): anyone on the LAN can read the password and the session. Serve labgate over HTTPS
      (the default).
    </Banner>
  );
}
