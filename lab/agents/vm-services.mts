// The services of the VMs outside Kubernetes: Jenkins on ops:8080, MySQL's port on nfs:3306, and
// on both a UDP echo on 5005 (what a UDP forward is tested with).
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { assertInLabNamespace } from '../exec.mts';

assertInLabNamespace(process.env.LAB_PREFIX ?? '');
const role = process.env.LAB_VM;

if (role === 'ops') {
  http
    .createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-jenkins': '2.479.3' });
      res.end(
        '<!doctype html><html><head><title>Dashboard [Jenkins]</title></head><body><h1>Jenkins</h1><p>Welcome to Jenkins on ops.</p></body></html>\n',
      );
    })
    .listen(8080, '0.0.0.0');
} else if (role === 'nfs') {
  // A MySQL server greets first; a short protocol-10 greeting is enough to tell it is there.
  net
    .createServer((sock) => {
      const version = Buffer.from('8.0.40-0ubuntu0.22.04.1\0');
      const payload = Buffer.concat([Buffer.from([10]), version, Buffer.alloc(4), Buffer.from('labgate\0')]);
      const header = Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, 0, 0]);
      sock.end(Buffer.concat([header, payload]));
      sock.on('error', () => {});
    })
    .listen(3306, '0.0.0.0');
} else if (role === 'nginx') {
  // A launched VM whose cloud-init installs nginx: its welcome page on port 80.
  http
    .createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', server: 'nginx/1.24.0 (Ubuntu)' });
      res.end('<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>\n');
    })
    .listen(80, '0.0.0.0');
} else {
  throw new Error(`no services for VM "${role}"`);
}
const echo = dgram.createSocket('udp4');
echo.on('message', (msg, from) => echo.send(`${role} ${msg.toString().slice(0, 100)}`, from.port, from.address));
echo.bind(5005, '0.0.0.0');
console.log(`services of ${role} listening`);
