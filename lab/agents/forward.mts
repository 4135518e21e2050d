// A byte pipe between a TCP listener and a target, for the demo: one process in the lab's host
// namespace (unix socket → the app), one in the root namespace (127.0.0.1:port → that socket).
// A unix socket is a file, not a network address, so the root namespace never routes to the lab.
import fs from 'node:fs';
import net from 'node:net';

const [listen, target] = process.argv.slice(2);
if (!listen || !target) throw new Error('usage: forward.mts <listen: host:port | /path.sock> <target: host:port | /path.sock>');

type Endpoint = { path: string } | { host: string; port: number };
const parse = (spec: string): Endpoint =>
  spec.startsWith('/')
    ? { path: spec }
    : { host: spec.slice(0, spec.lastIndexOf(':')), port: Number(spec.slice(spec.lastIndexOf(':') + 1)) };

const server = net.createServer((client) => {
  const upstream = net.connect(parse(target));
  client.pipe(upstream).pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
});
const where = parse(listen);
if ('path' in where) fs.rmSync(where.path, { force: true });
server.listen(where);
console.log(`forwarding ${listen} → ${target}`);
