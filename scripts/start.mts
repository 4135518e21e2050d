// `npm start`: labgate in production — Next's standalone build (`npm run build`), served over
// HTTP, or over HTTPS when LABGATE_TLS_CERT and LABGATE_TLS_KEY name a certificate and its key.
// Listens on HOSTNAME:PORT (default 0.0.0.0:3000), as Next's own server does.
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import tlsDefaults from 'node:tls';
import { ensureTls, hostNames } from '../lib/tls/certificates.mts';

// Built beside the server (.next/standalone/start.mjs, as the units run it) or from the checkout.
const STANDALONE = fs.existsSync(path.join(import.meta.dirname, 'server.js'))
  ? import.meta.dirname
  : path.resolve(import.meta.dirname, '..', '.next', 'standalone');
const ROOT = path.resolve(STANDALONE, '..', '..');

type NextFactory = (opts: { dev: boolean; dir: string; conf: unknown; hostname: string; port: number }) => {
  prepare(): Promise<void>;
  getRequestHandler(): http.RequestListener;
};

function fail(message: string): never {
  process.stderr.write(`labgate: ${message}\n`);
  process.exit(1);
}

const serverFile = path.join(STANDALONE, 'server.js');
if (!fs.existsSync(serverFile)) fail('no production build here: run `npm run build` first.');

// Paths the user gave are relative to where they started labgate, not to the build.
for (const name of ['LABGATE_DATA_DIR', 'LABGATE_TLS_CERT', 'LABGATE_TLS_KEY', 'KUBECONFIG']) {
  const value = process.env[name];
  if (value)
    process.env[name] = value
      .split(path.delimiter)
      .map((p) => path.resolve(p))
      .join(path.delimiter);
}
process.env.LABGATE_DATA_DIR ??= path.join(ROOT, 'data');

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be a port number, not "${process.env.PORT}".`);

/**
 * HTTPS by default: with the certificate and key the user gave, else with labgate's own CA.
 * Plain HTTP only where nothing but this machine can listen in (loopback: the host role, a
 * proxy in front), or when asked for with LABGATE_HTTP=1 (the pages then show a warning).
 */
async function tlsOptions(): Promise<https.ServerOptions | null> {
  const cert = process.env.LABGATE_TLS_CERT;
  const key = process.env.LABGATE_TLS_KEY;
  if (!!cert !== !!key) fail('HTTPS needs both LABGATE_TLS_CERT and LABGATE_TLS_KEY.');
  if (cert && key) {
    try {
      return { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
    } catch (e) {
      fail(`cannot read the TLS certificate or key: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // A unix socket or loopback: nothing but this machine can listen in.
  if (process.env.LABGATE_SOCKET || /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(hostname)) return null;
  if (process.env.LABGATE_HTTP === '1') {
    process.stderr.write(
      `labgate: warning: serving plain HTTP on ${hostname}:${port} (LABGATE_HTTP=1): passwords and sessions cross the LAN readable.\n`,
    );
    return null;
  }
  const own = await ensureTls(
    process.env.LABGATE_DATA_DIR!,
    hostNames([
      ...(process.env.LABGATE_ALLOWED_HOSTS ?? '').split(',').filter(Boolean),
      // The dashboard's name on the LAN (LABGATE_LAN_NAME, published by the host role).
      ...(process.env.LABGATE_LAN_NAME === 'off' ? [] : [`${process.env.LABGATE_LAN_NAME || 'labgate'}.local`]),
    ]),
  );
  process.env.LABGATE_CA_CERT = own.caCert; // the login page offers it for download
  const caPem = fs.readFileSync(own.caCert, 'utf8');
  // Next fetches its own pages (a server action's redirect): this process trusts its own CA too.
  tlsDefaults.setDefaultCACertificates([...tlsDefaults.getCACertificates('default'), caPem]);
  const print = new X509Certificate(caPem).fingerprint256;
  if (own.createdCa) process.stdout.write(`labgate: made its own certificate authority ${own.caCert}\n`);
  process.stdout.write(`labgate: CA fingerprint (SHA-256) ${print}\n`);
  return { cert: fs.readFileSync(own.cert), key: fs.readFileSync(own.key) };
}

const tls = await tlsOptions();

(process.env as Record<string, string>).NODE_ENV = 'production';
process.chdir(STANDALONE);
const { config } = JSON.parse(fs.readFileSync(path.join(STANDALONE, '.next', 'required-server-files.json'), 'utf8')) as { config: unknown };
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
const next = createRequire(serverFile)('next') as NextFactory;
// Next fetches its own pages at this name (a server action's redirect): one the certificate names.
const selfName = hostname === '0.0.0.0' || hostname === '::' ? 'localhost' : hostname;
const app = next({ dev: false, dir: STANDALONE, conf: config, hostname: selfName, port });
await app.prepare();
const nextHandler = app.getRequestHandler();
// What only the connection knows, stamped on every request over any value the client sent
// (lib/domain/network/client-address.ts): its peer address (rate limits key on it) and its scheme (cookies, HSTS).
const handle: http.RequestListener = (req, res) => {
  req.headers['x-labgate-remote-address'] = req.socket.remoteAddress ?? '';
  req.headers['x-labgate-scheme'] = tls ? 'https' : 'http';
  if (tls) res.setHeader('strict-transport-security', 'max-age=31536000');
  return nextHandler(req, res);
};
const server = tls ? https.createServer(tls, handle) : http.createServer(handle);
// The host role under systemd listens on a unix socket in its RuntimeDirectory: only the two
// labgate users may open it (mode 0660, their shared group), and no one can take it meanwhile.
const socket = process.env.LABGATE_SOCKET;
if (socket !== undefined && !path.isAbsolute(socket)) fail(`LABGATE_SOCKET must be an absolute path, not "${socket}".`);
const where = socket ? `unix:${socket}` : `${tls ? 'https' : 'http'}://${hostname}:${port}`;
server.on('error', (e) => fail(`cannot listen on ${where}: ${e.message}`));
if (socket) {
  if (fs.existsSync(socket) && fs.statSync(socket).isSocket()) fs.rmSync(socket); // the last run's, left by a crash
  server.listen(socket, () => {
    fs.chmodSync(socket, 0o660);
    process.stdout.write(`labgate: listening on ${where}\n`);
  });
} else {
  server.listen(port, hostname, () => process.stdout.write(`labgate: listening on ${where}\n`));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // idle keep-alive connections would hold the close open
  });
}
