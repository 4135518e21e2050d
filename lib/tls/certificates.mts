// labgate's own CA and the dashboard's server certificate, made at first start (as Cockpit,
// Proxmox and LXD do) so that the dashboard speaks HTTPS from the beginning. Self-contained
// (no app imports): the production server's start script loads it before Next.
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The X.509 library's dependency injection needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
const CA_DAYS = 3650;
// Apple's and Chrome's limit for a server certificate's lifetime: a re-issue at start keeps it fresh.
const SERVER_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;

export interface TlsFiles {
  dir: string;
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export const tlsFiles = (dataDir: string): TlsFiles => {
  const dir = path.join(dataDir, 'tls');
  return {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    cert: path.join(dir, 'server.crt'),
    key: path.join(dir, 'server.key'),
  };
};

/** What the server certificate must name: the host's names and every address it has. */
export interface ServerNames {
  dns: string[];
  ips: string[];
}

/** This host's names (hostname, hostname.local, localhost, and LABGATE_ALLOWED_HOSTS) and its IPv4 and IPv6 addresses. */
export function hostNames(extraNames: readonly string[] = []): ServerNames {
  const hostname = os.hostname().toLowerCase();
  const dns = [...new Set([hostname, `${hostname}.local`, 'localhost', ...extraNames.map((n) => n.toLowerCase())])].filter((n) =>
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(n),
  );
  const ips = [
    ...new Set(
      Object.values(os.networkInterfaces()).flatMap((list) =>
        (list ?? []).filter((a) => !(a.family === 'IPv6' && a.scopeid)).map((a) => a.address),
      ),
    ),
  ];
  return { dns, ips };
}

const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;

async function exportKey(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
}

async function importKey(file: string): Promise<CryptoKey> {
  const der = Buffer.from(fs.readFileSync(file, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return (await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])) as unknown as CryptoKey;
}

const write = (file: string, text: string, mode: number) => {
  fs.writeFileSync(`${file}.tmp`, text, { mode });
  fs.renameSync(`${file}.tmp`, file); // whole or not at all
};

/**
 * A self-signed EC P-256 identity (certificate and key, PEM) named `commonName`: how Multipass's
 * clients and daemon identify themselves to each other over its socket.
 */
export async function selfSignedIdentity(commonName: string, days: number, now = new Date()): Promise<{ cert: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${commonName}`,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + days * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

async function makeCa(files: TlsFiles, now: Date): Promise<void> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=labgate CA on ${os.hostname()}, O=labgate`,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  write(files.caKey, await exportKey(keys.privateKey), 0o600);
  write(files.caCert, cert.toString('pem'), 0o644);
}

/** A server certificate for these names, signed by labgate's CA (PEM). */
async function signLeaf(files: TlsFiles, names: ServerNames, now: Date): Promise<{ certificate: string; key: string }> {
  const ca = new x509.X509Certificate(fs.readFileSync(files.caCert, 'utf8'));
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${names.dns[0] ?? 'labgate'}`,
    issuer: ca.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + SERVER_DAYS * DAY),
    publicKey: keys.publicKey,
    signingKey: await importKey(files.caKey),
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

async function makeServerCert(files: TlsFiles, names: ServerNames, now: Date): Promise<void> {
  const leaf = await signLeaf(files, names, now);
  write(files.key, leaf.key, 0o600);
  write(files.cert, leaf.certificate, 0o644);
}

async function ensureCa(files: TlsFiles, now: Date): Promise<boolean> {
  fs.mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  const create = !fs.existsSync(files.caCert) || !fs.existsSync(files.caKey);
  if (create) await makeCa(files, now);
  return create;
}

/**
 * A certificate for an exposure's name (grafana.local) from the same CA the dashboard's comes
 * from, so a device that trusts the dashboard trusts it too. Caddy serves it; nothing keeps it here.
 */
export async function issueSiteCertificate(dataDir: string, name: string, now = new Date()): Promise<{ certificate: string; key: string }> {
  const files = tlsFiles(dataDir);
  await ensureCa(files, now);
  return signLeaf(files, { dns: [name], ips: [] }, now);
}

/** Whether a certificate that ends at `validTo` is due for its successor (30 days before, or later). */
export const renewalDue = (validTo: Date | string, now: Date): boolean =>
  new Date(validTo).getTime() - now.getTime() <= RENEW_BEFORE_DAYS * DAY;

/** Whether the certificate names all of these and is not near its end. */
function covers(certFile: string, names: ServerNames, now: Date): boolean {
  const cert = new NodeX509(fs.readFileSync(certFile));
  const san = cert.subjectAltName ?? '';
  const listed = new Set(san.split(', ').map((e) => e.replace(/^(DNS|IP Address):/, '').toLowerCase()));
  return !renewalDue(cert.validTo, now) && [...names.dns, ...names.ips].every((n) => listed.has(n.toLowerCase()));
}

/**
 * labgate's CA (made once, kept) and a server certificate it signed for these names, re-issued
 * when the host gained a name or an address (DHCP) or the certificate nears its end.
 */
export async function ensureTls(
  dataDir: string,
  names: ServerNames,
  now = new Date(),
): Promise<TlsFiles & { issued: boolean; createdCa: boolean }> {
  const files = tlsFiles(dataDir);
  const createdCa = await ensureCa(files, now);
  const issued = createdCa || !fs.existsSync(files.cert) || !fs.existsSync(files.key) || !covers(files.cert, names, now);
  if (issued) await makeServerCert(files, names, now);
  return { ...files, issued, createdCa };
}
