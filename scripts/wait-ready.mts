// The host unit's ExecStartPost: the unit counts as started only once the host role answers
// /api/healthz with 200 — after its first sync has put every stored forward in the kernel — so
// the ui unit (After=labgate-host.service) and the dashboard's first page come after the forwards.
import http from 'node:http';

const socketPath = process.env.LABGATE_SOCKET;
const deadline = Date.now() + Number(process.env.LABGATE_READY_TIMEOUT_SECONDS ?? 80) * 1000;

const health = () =>
  new Promise<number>((resolve) => {
    const req = http.get(
      socketPath
        ? { socketPath, path: '/api/healthz' }
        : { host: '127.0.0.1', port: Number(process.env.PORT ?? 3000), path: '/api/healthz' },
      (res) => (res.resume(), resolve(res.statusCode ?? 0)),
    );
    req.on('error', () => resolve(0));
    req.setTimeout(2_000, () => req.destroy());
  });

while ((await health()) !== 200) {
  if (Date.now() > deadline) {
    console.error('labgate: the host role did not become ready in time');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 100));
}
