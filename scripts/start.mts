// `npm start`: labgate in production — Next's standalone build (`npm run build`), served over
// HTTP, or over HTTPS when LABGATE_TLS_CERT and LABGATE_TLS_KEY name a certificate and its key.
// Listens on HOSTNAME:PORT (default 0.0.0.0:3000), as Next's own server does.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const STANDALONE = path.join(ROOT, '.next', 'standalone');

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
  if (value) process.env[name] = value.split(path.delimiter).map((p) => path.resolve(p)).join(path.delimiter);
}
process.env.LABGATE_DATA_DIR ??= path.join(ROOT, 'data');

const cert = process.env.LABGATE_TLS_CERT;
const key = process.env.LABGATE_TLS_KEY;
if (!!cert !== !!key) fail('HTTPS needs both LABGATE_TLS_CERT and LABGATE_TLS_KEY.');
let tls: https.ServerOptions | null = null;
try {
  tls = cert && key ? { cert: fs.readFileSync(cert), key: fs.readFileSync(key) } : null;
} catch (e) {
  fail(`cannot read the TLS certificate or key: ${e instanceof Error ? e.message : String(e)}`);
}

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be a port number, not "${process.env.PORT}".`);

(process.env as Record<string, string>).NODE_ENV = 'production';
process.chdir(STANDALONE);
const { config } = JSON.parse(fs.readFileSync(path.join(STANDALONE, '.next', 'required-server-files.json'), 'utf8')) as { config: unknown };
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
const next = createRequire(serverFile)('next') as NextFactory;
const app = next({ dev: false, dir: STANDALONE, conf: config, hostname, port });
await app.prepare();
const nextHandler = app.getRequestHandler();
// Rate limits key on the connection's address: stamp it on every request, replacing any the client sent.
const REMOTE_ADDRESS_HEADER = 'x-labgate-remote-address'; // lib/domain/client.ts
const handle: http.RequestListener = (req, res) => {
  req.headers[REMOTE_ADDRESS_HEADER] = req.socket.remoteAddress ?? '';
  return nextHandler(req, res);
};
const server = tls ? https.createServer(tls, handle) : http.createServer(handle);
server.on('error', (e) => fail(`cannot listen on ${hostname}:${port}: ${e.message}`));
server.listen(port, hostname, () => process.stdout.write(`labgate: listening on ${tls ? 'https' : 'http'}://${hostname}:${port}\n`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // idle keep-alive connections would hold the close open
  });
}
