// Where a lab keeps things: one state dir per prefix, one shared cache of built binaries.
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '..');
export const MANIFESTS = path.join(REPO, 'lab', 'manifests');
export const RBAC_MANIFEST = path.join(REPO, 'deploy', 'rbac.yaml');
export const ADMISSION_POLICY_MANIFEST = path.join(REPO, 'deploy', 'admission-policy.yaml');

export function stateDir(prefix: string): string {
  const base =
    process.env.LABGATE_LAB_STATE_DIR ?? path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'labgate-lab');
  return path.join(base, prefix.replace(/-$/, '') || 'lab');
}

export function cacheDir(): string {
  return process.env.LABGATE_LAB_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'labgate-lab');
}

/**
 * What a real host lets every local user run and read, so that labgate's unprivileged service
 * users can too: the multipass command and what it answers from (the state dir is root's own).
 */
export function sharedDir(prefix: string): string {
  return path.join(process.env.LABGATE_LAB_SHARED_DIR ?? '/run/labgate-lab', prefix.replace(/-$/, '') || 'lab');
}

/** Every file of one lab, by purpose. */
export function labPaths(prefix: string) {
  const root = stateDir(prefix);
  const shared = sharedDir(prefix);
  return {
    root,
    shared,
    pki: path.join(root, 'pki'),
    etcd: path.join(root, 'etcd'),
    logs: path.join(root, 'logs'),
    pids: path.join(root, 'pids'),
    bin: path.join(shared, 'bin'), // the multipass stand-in, the Chromium wrapper, the restore fault switch
    node: path.join(shared, 'node'), // a node every user may run, for the stand-in
    adminKubeconfig: path.join(root, 'admin.kubeconfig'),
    labgateKubeconfig: path.join(root, 'labgate.kubeconfig'),
    kwokConfig: path.join(root, 'kwok.yaml'),
    multipassState: path.join(shared, 'multipass.json'),
    multipassSocket: path.join(shared, 'multipass_socket'), // the daemon stand-in's gRPC socket
    multipassCerts: path.join(root, 'multipass-authenticated-certs'),
    restoreFails: path.join(shared, 'iptables-restore-fails'),
    labState: path.join(root, 'lab.json'),
    dataDir: path.join(root, 'data'),
    uiSocket: path.join(root, 'ui.sock'),
  };
}
export type LabPaths = ReturnType<typeof labPaths>;
