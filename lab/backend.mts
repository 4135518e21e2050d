// A backend the tests start and stop: the service behind a forward, in one of the lab's VMs.
import { spawn } from 'node:child_process';
import { namespaces } from './topology.mts';

/**
 * What a backend answers: a status with the word "backend", or (echo) 200 with the request it
 * received as JSON, and a WebSocket handshake accepted (RFC 6455's Sec-WebSocket-Accept).
 */
const ANSWERS = {
  status: (status: number) => `s.writeHead(${status}).end('backend')`,
  echo: `s.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: q.method, url: q.url, headers: q.headers }))`,
};
const ACCEPT_WEBSOCKETS = `server.on('upgrade', (q, socket) => {
  const accept = require('node:crypto').createHash('sha1').update(q.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n');
});`;

/**
 * A plain HTTP server in a lab VM's namespace that answers every request with `status`, or with
 * what it received ('echo': what an exposed service sees). Resolves once it listens, with how to
 * stop it (by its own pid; stopping twice is fine).
 */
export async function vmBackend(prefix: string, vm: string, port: number, answer: number | 'echo' = 200): Promise<() => Promise<void>> {
  const respond = answer === 'echo' ? ANSWERS.echo : ANSWERS.status(answer);
  const script = `const server = require('node:http').createServer((q, s) => ${respond});
${answer === 'echo' ? ACCEPT_WEBSOCKETS : ''}
server.listen(${port}, () => console.log('listening'));`;
  const child = spawn('ip', ['netns', 'exec', namespaces(prefix).vm(vm), process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the backend on ${vm}:${port} exited with ${code}`)));
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return () => new Promise<void>((resolve) => (exited() ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM'))));
}
