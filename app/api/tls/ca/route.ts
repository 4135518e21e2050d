import { answered, problem } from '@/lib/http';
import { ownCa } from '@/lib/server/tls-info';

export const dynamic = 'force-dynamic';

/** labgate's CA certificate, for anyone to download and trust (it is public; its key never leaves the host). */
export const GET = answered(async () => {
  const ca = ownCa();
  if (!ca) return problem(404, 'This labgate serves a certificate you gave it (LABGATE_TLS_CERT), or plain HTTP: it has no CA of its own.');
  return new Response(ca.pem, {
    headers: {
      'content-type': 'application/x-x509-ca-cert',
      'content-disposition': 'attachment; filename="labgate-ca.crt"',
      'cache-control': 'no-store',
    },
  });
});
