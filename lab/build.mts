// Builds the lab's upstream binaries (etcd, the Kubernetes control plane, kubectl, KWOK) from
// the one pinned module in lab/build, once per pin: later runs find them in the cache.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { must, run } from './exec.mts';
import { cacheDir, REPO } from './paths.mts';

const MODULE_DIR = path.join(REPO, 'lab', 'build');
const MIN_GO = [1, 26] as const;

/** Binary name → the package that builds it (go names a `/v3` package after the element before it). */
export const BINARIES = {
  etcd: { pkg: 'go.etcd.io/etcd/server/v3', built: 'server' },
  'kube-apiserver': { pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', built: 'kube-apiserver' },
  'kube-controller-manager': { pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager', built: 'kube-controller-manager' },
  'kube-scheduler': { pkg: 'k8s.io/kubernetes/cmd/kube-scheduler', built: 'kube-scheduler' },
  kubectl: { pkg: 'k8s.io/kubernetes/cmd/kubectl', built: 'kubectl' },
  kwok: { pkg: 'sigs.k8s.io/kwok/cmd/kwok', built: 'kwok' },
} as const;
export type Binary = keyof typeof BINARIES;

export function pinHash(): string {
  const h = createHash('sha256');
  for (const f of ['go.mod', 'go.sum']) h.update(fs.readFileSync(path.join(MODULE_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

export function binDir(): string {
  return path.join(cacheDir(), pinHash(), 'bin');
}

export const binary = (name: Binary) => path.join(binDir(), name);

/** The pinned versions, read from go.mod, for ldflags and reports. */
export function pinnedVersion(module: string): string {
  const gomod = fs.readFileSync(path.join(MODULE_DIR, 'go.mod'), 'utf8');
  const m = new RegExp(`^\\s*${module.replace(/\./g, '\\.')}\\s+(v\\S+)`, 'm').exec(gomod);
  if (!m) throw new Error(`${module} is not pinned in lab/build/go.mod`);
  return m[1]!;
}

export async function checkGo(): Promise<string> {
  const res = await run('go', ['env', 'GOVERSION']).catch(() => ({ code: 127, stdout: '', stderr: '' }));
  const version = res.stdout.trim();
  const m = /^go(\d+)\.(\d+)/.exec(version);
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (res.code !== 0 || major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new Error(
      `the lab builds Kubernetes, etcd and KWOK from Go modules and needs Go ${MIN_GO.join('.')} or newer ` +
        `(found: ${version || 'no go on PATH'}). Install Go ${MIN_GO.join('.')}+ (https://go.dev/dl/) and run again.`,
    );
  }
  return version;
}

/** KWOK's own stage definitions (what kwokctl feeds it), copied from the module next to the binaries. */
export const kwokStages = () => path.join(binDir(), 'kwok-stages.yaml');
const KWOK_STAGE_FILES = [
  'kustomize/stage/node/fast/node-initialize.yaml',
  'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'kustomize/stage/pod/fast/pod-ready.yaml',
  'kustomize/stage/pod/fast/pod-complete.yaml',
  'kustomize/stage/pod/fast/pod-delete.yaml',
];

async function writeKwokStages(): Promise<void> {
  const modcache = (await must('go', ['env', 'GOMODCACHE'])).trim();
  const src = path.join(modcache, `sigs.k8s.io/kwok@${pinnedVersion('sigs.k8s.io/kwok')}`);
  const docs = KWOK_STAGE_FILES.map((f) => `---\n${fs.readFileSync(path.join(src, f), 'utf8')}`);
  fs.writeFileSync(kwokStages(), docs.join('\n'));
}

export function isBuilt(): boolean {
  return fs.existsSync(kwokStages()) && Object.keys(BINARIES).every((b) => fs.existsSync(binary(b as Binary)));
}

/** Builds every binary in one `go build` (shared packages compile once); nothing if cached. */
export async function buildBinaries(log: (m: string) => void = () => {}): Promise<{ built: boolean; seconds: number }> {
  if (isBuilt()) return { built: false, seconds: 0 };
  await checkGo();
  const started = Date.now();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-lab-build-'));
  const k8s = pinnedVersion('k8s.io/kubernetes');
  const [, minor] = /^v1\.(\d+)/.exec(k8s) ?? [];
  const ldflags = [
    '-s -w',
    `-X k8s.io/component-base/version.gitVersion=${k8s}`,
    '-X k8s.io/component-base/version.gitMajor=1',
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
    `-X k8s.io/client-go/pkg/version.gitVersion=${k8s}`,
  ].join(' ');
  log(`building etcd, Kubernetes ${k8s} (apiserver, controller-manager, scheduler, kubectl) and KWOK; a first build takes a while`);
  await must('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', `${out}/`, ...Object.values(BINARIES).map((b) => b.pkg)], {
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' },
    timeoutMs: 80 * 60_000,
    cwd: MODULE_DIR,
  });
  fs.mkdirSync(binDir(), { recursive: true });
  for (const [name, b] of Object.entries(BINARIES)) fs.renameSync(path.join(out, b.built), binary(name as Binary));
  fs.rmSync(out, { recursive: true, force: true });
  await writeKwokStages();
  return { built: true, seconds: Math.round((Date.now() - started) / 1000) };
}
