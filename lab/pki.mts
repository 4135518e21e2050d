// The lab's CA and certificates, made with openssl at `up`.
import fs from 'node:fs';
import path from 'node:path';
import { must } from './exec.mts';
import { APISERVER_ADDRESS } from './topology.mts';

const SERVICE_IP = '10.96.0.1'; // first address of the service CIDR: the "kubernetes" Service

export async function makePki(dir: string): Promise<void> {
  if (fs.existsSync(path.join(dir, 'admin.crt'))) return;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (name: string) => path.join(dir, name);
  fs.writeFileSync(
    f('ca.cnf'),
    '[req]\ndistinguished_name = dn\nprompt = no\nx509_extensions = v3_ca\n[dn]\nCN = labgate-lab-ca\n' +
      '[v3_ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign, digitalSignature\nsubjectKeyIdentifier = hash\n',
  );
  await must('openssl', [
    'req',
    '-x509',
    '-new',
    '-nodes',
    '-newkey',
    'rsa:2048',
    '-sha256',
    '-days',
    '3650',
    '-config',
    f('ca.cnf'),
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
  ]);

  const sign = async (name: string, subject: string, ext: string) => {
    fs.writeFileSync(f(`${name}.ext`), ext);
    await must('openssl', [
      'req',
      '-new',
      '-nodes',
      '-newkey',
      'rsa:2048',
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.csr`),
      '-subj',
      subject,
    ]);
    await must('openssl', [
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-sha256',
      '-days',
      '825',
      '-extfile',
      f(`${name}.ext`),
      '-out',
      f(`${name}.crt`),
    ]);
  };
  await sign(
    'apiserver',
    '/CN=kube-apiserver',
    'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n' +
      `subjectAltName = DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP:127.0.0.1, IP:${APISERVER_ADDRESS}, IP:${SERVICE_IP}\n`,
  );
  // O=system:masters: the lab's own admin identity, outside RBAC.
  await sign(
    'admin',
    '/O=system:masters/CN=labgate-lab-admin',
    'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = clientAuth\n',
  );
  await must('openssl', ['genrsa', '-out', f('sa.key'), '2048']);
  await must('openssl', ['rsa', '-in', f('sa.key'), '-pubout', '-out', f('sa.pub')]);
  for (const key of ['ca.key', 'apiserver.key', 'admin.key', 'sa.key']) fs.chmodSync(f(key), 0o600);
}

const b64 = (file: string) => fs.readFileSync(file).toString('base64');

export function kubeconfig(
  server: string,
  caFile: string,
  user: { certFile: string; keyFile: string } | { token: string },
  name: string,
): string {
  const userLines =
    'token' in user
      ? [`    token: ${user.token}`]
      : [`    client-certificate-data: ${b64(user.certFile)}`, `    client-key-data: ${b64(user.keyFile)}`];
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lab',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(caFile)}`,
    'users:',
    `- name: ${name}`,
    '  user:',
    ...userLines,
    'contexts:',
    '- name: lab',
    '  context:',
    '    cluster: lab',
    `    user: ${name}`,
    'current-context: lab',
    '',
  ].join('\n');
}
