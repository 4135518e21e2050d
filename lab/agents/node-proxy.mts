// What kube-proxy and the pods would answer on a node: for every NodePort of every Service
// (kept in sync by watching the real apiserver), an HTTP responder that says which service and
// which node took the request. Runs inside one node's namespace.
import dgram from 'node:dgram';
import http from 'node:http';
import * as k8s from '@kubernetes/client-node';
import { assertInLabNamespace } from '../exec.mts';
import { nodePortsFor, type NodePortAnswer } from './node-ports.mts';

const prefix = process.env.LAB_PREFIX ?? '';
const node = process.env.LAB_NODE ?? '';
const kubeconfigFile = process.env.LAB_KUBECONFIG ?? '';
assertInLabNamespace(prefix);

const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfigFile);
const core = kc.makeApiClient(k8s.CoreV1Api);
const services = k8s.makeInformer(kc, '/api/v1/services', () => core.listServiceForAllNamespaces());
const pods = k8s.makeInformer(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());

const listeners = new Map<string, { close: () => void; answer: NodePortAnswer }>();
const key = (a: NodePortAnswer) => `${a.protocol}/${a.nodePort}`;
const body = (a: NodePortAnswer) => JSON.stringify({ service: a.service, namespace: a.namespace, node, nodePort: a.nodePort });

function open(a: NodePortAnswer): void {
  if (a.protocol === 'UDP') {
    const sock = dgram.createSocket('udp4');
    sock.on('message', (_msg, rinfo) => sock.send(body(a), rinfo.port, rinfo.address));
    sock.on('error', (e) => console.error(`udp ${a.nodePort}: ${e.message}`));
    sock.bind(a.nodePort);
    listeners.set(key(a), { close: () => sock.close(), answer: a });
    return;
  }
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body(a));
  });
  server.on('error', (e) => console.error(`tcp ${a.nodePort}: ${e.message}`));
  server.listen(a.nodePort, '0.0.0.0');
  listeners.set(key(a), { close: () => server.close(), answer: a });
}

function sync(): void {
  const want = new Map(nodePortsFor(node, services.list(), pods.list()).map((a) => [key(a), a]));
  for (const [k, l] of listeners) {
    const w = want.get(k);
    if (!w || w.service !== l.answer.service || w.namespace !== l.answer.namespace) {
      l.close();
      listeners.delete(k);
    }
  }
  for (const [k, a] of want) if (!listeners.has(k)) open(a);
}

let pending: NodeJS.Timeout | null = null;
const schedule = () => {
  pending ??= setTimeout(() => {
    pending = null;
    sync();
  }, 20);
};

function wire<T extends k8s.KubernetesObject>(inf: k8s.Informer<T>): void {
  inf.on('add', schedule);
  inf.on('update', schedule);
  inf.on('delete', schedule);
  // Watches end when the apiserver restarts: start again after a short pause.
  const restart = () => setTimeout(() => void inf.start().catch(restart), 1_000);
  inf.on('error', restart);
  void inf.start().catch(restart);
}
wire(services);
wire(pods);
console.log(`node-proxy for ${node} watching services and pods`);
