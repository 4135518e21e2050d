import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdmissionregistrationV1Api, AuthorizationV1Api, VersionApi } from '@kubernetes/client-node';
import { diagnose, type DoctorFacts, type Finding } from '@/lib/domain/diagnosis';
import { rulesOf, chainsOf, parseSave } from '@/lib/domain/firewall/save-parse';
import { detectBackend, execRunner, type Backend } from '@/lib/host/firewall/runner';
import { handMadeOn, ipForwardEnabled, multipassBridges, portInUseOnHost } from '@/lib/host/hostinfo';
import { ForwardStore } from '@/lib/host/tables/forwards';
import { describeApiError, loadKubeConfig } from '@/lib/kube/client';
import { ADMISSION_POLICY, PERMISSIONS, permissionName } from '@/lib/kube/permissions';
import { MultipassError } from '@/lib/multipass/errors.mts';
import { clientIdentity } from '@/lib/multipass/identity.mts';
import { MultipassRpc } from '@/lib/multipass/rpc.mts';
import { db } from '@/lib/store/db';
import { STORE_RESERVE_BYTES } from '@/lib/store/failure';
import { askOwner } from '@/lib/host/owner';
import { CHAIN, canaryOwner } from '@/lib/domain/firewall/rules';
import { env, type Env } from '@/lib/env';

async function kubeFacts(settings: Env): Promise<DoctorFacts['kube']> {
  try {
    const kc = loadKubeConfig(settings);
    const version = await kc.makeApiClient(VersionApi).getCode();
    const authz = kc.makeApiClient(AuthorizationV1Api);
    const checks = PERMISSIONS.flatMap((p) => p.verbs.map((verb) => ({ p, verb })));
    const answers = await Promise.all(
      checks.map(({ p, verb }) =>
        authz.createSelfSubjectAccessReview({
          body: {
            spec: {
              resourceAttributes: { group: p.group, resource: p.resource, verb, name: p.resourceNames?.[0], namespace: p.namespace },
            },
          },
        }),
      ),
    );
    const denied = checks.filter((_, i) => !answers[i]!.status?.allowed).map(({ p, verb }) => permissionName(verb, p));
    return { error: null, version: version.gitVersion, denied, admissionPolicy: denied.length ? null : await admissionPolicyState(kc) };
  } catch (e) {
    return {
      error:
        e instanceof Error && e.name === 'KubeConfigError'
          ? e.message
          : describeApiError(e, 'create', 'selfsubjectaccessreviews.authorization.k8s.io'),
      version: null,
      denied: [],
      admissionPolicy: null,
    };
  }
}

/** Whether deploy/admission-policy.yaml is in the cluster: the policy, and the binding that makes it deny. */
async function admissionPolicyState(kc: ReturnType<typeof loadKubeConfig>): Promise<DoctorFacts['kube']['admissionPolicy']> {
  const api = kc.makeApiClient(AdmissionregistrationV1Api);
  const exists = (read: () => Promise<unknown>) =>
    read().then(
      () => true,
      (e: unknown) => {
        if ((e as { code?: number }).code === 404) return false;
        throw e;
      },
    );
  if (!(await exists(() => api.readValidatingAdmissionPolicy({ name: ADMISSION_POLICY })))) return 'missing';
  return (await exists(() => api.readValidatingAdmissionPolicyBinding({ name: ADMISSION_POLICY }))) ? 'installed' : 'unbound';
}

/** The daemon as labgate's host role reaches it: its socket, with labgate's own client certificate. */
async function multipassFacts(): Promise<DoctorFacts['multipass']> {
  const { multipassSocket: path, dataDir } = env();
  const socket = fs.existsSync(path) ? { path, group: groupName(fs.statSync(path).gid) } : { path, group: null };
  const rpc = new MultipassRpc(path, await clientIdentity(dataDir));
  try {
    const { version: daemon, update } = await rpc.version();
    await rpc.info();
    return { error: null, errorKind: null, daemon, update, socket };
  } catch (e) {
    const err = e instanceof MultipassError ? e : new MultipassError('failed', String(e));
    return { error: err.message, errorKind: err.kind, daemon: null, update: null, socket };
  } finally {
    rpc.close();
  }
}

function groupName(gid: number): string {
  const line = fs
    .readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0] ?? String(gid);
}

/** Which backend holds Multipass's rules (its comment names its network), if any. */
async function multipassBackend(): Promise<Backend | null> {
  for (const backend of ['nft', 'legacy'] as const) {
    const res = await execRunner(backend).run('save', []);
    if (res.code === 0 && /generated for Multipass network/.test(res.stdout)) return backend;
  }
  return null;
}

function bridgeNetfilter(): boolean {
  try {
    return fs.readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim() === '1';
  } catch {
    return false; // not loaded
  }
}

/** The forwards in labgate's store, when this user can open it (doctor also runs before any exist). */
function storedForwards() {
  try {
    return new ForwardStore(db()).list();
  } catch {
    return [];
  }
}

/** Looks at everything labgate depends on; read-only. */
/** Gathers the facts (with these settings: the environment's, or a test's) and diagnoses them. */
export async function runDoctor(settings: Env = env()): Promise<Finding[]> {
  const backend = await detectBackend();
  const saved = await execRunner(backend).run('save', []);
  if (saved.code !== 0) {
    return [
      {
        check: 'iptables',
        severity: 'fail',
        message: `iptables-${backend}-save failed: ${saved.stderr.trim()}`,
        fix: 'run labgate doctor as root, or as the labgate user with CAP_NET_ADMIN',
      },
    ];
  }
  const save = parseSave(saved.stdout);
  const forwardChain = chainsOf(save, 'filter').find((c) => c.name === 'FORWARD');
  const forwards = storedForwards();
  const [kube, multipass, mpBackend] = await Promise.all([kubeFacts(settings), multipassFacts(), multipassBackend()]);
  return diagnose({
    user: os.userInfo().username,
    kube,
    multipass,
    backend: { labgate: backend, multipass: mpBackend },
    ipForward: ipForwardEnabled(),
    bridgeNetfilter: bridgeNetfilter(),
    forwardPolicy: forwardChain?.policy ?? null,
    forwardChain: rulesOf(save, 'filter', 'FORWARD').map((r) => r.text),
    handMade: handMadeOn(save),
    busyPorts: forwards
      .filter((f) => portInUseOnHost(f.protocol, f.listenPort))
      .map((f) => ({ name: f.name, protocol: f.protocol, port: f.listenPort })),
    multipassBridge: multipassBridges()[0]?.name ?? null,
    owner: {
      running: await askOwner(),
      mark:
        rulesOf(save, 'nat', CHAIN.canary)
          .map((r) => canaryOwner(r.text))
          .find((o) => o !== null) ?? null,
      installId: storedInstallId(),
    },
    store: { dataDir: path.resolve(settings.dataDir), freeBytes: freeBytes(settings.dataDir), reserveBytes: STORE_RESERVE_BYTES },
  });
}

/** This data dir's install id, when it has one and this user can read it. */
function storedInstallId(): string | null {
  try {
    const row = db().prepare("SELECT value FROM settings WHERE key = 'install_id'").get() as { value: string } | undefined;
    return row?.value ?? null;
  } catch {
    return null;
  }
}

function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}
