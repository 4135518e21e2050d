import type { HandMadeForward } from './firewall/handmade';
import { CHAIN } from './firewall/rules';

/** What `labgate doctor` found about one thing, and the exact command that fixes it. */
export interface Finding {
  check: string;
  severity: 'ok' | 'warn' | 'fail';
  message: string;
  fix?: string;
}

/** What doctor gathered from the host; each part null when it could not be read at all. */
export interface DoctorFacts {
  user: string; // who labgate runs as, for fixes that name it
  kube: { error: string | null; version: string | null; denied: string[]; admissionPolicy: 'installed' | 'missing' | 'unbound' | null }; // denied: "patch on services"; null: not asked
  multipass: {
    error: string | null;
    errorKind: string | null;
    daemon: string | null; // multipassd's version
    update: { version: string; url: string } | null; // a newer Multipass the daemon tells of
    socket: { path: string; group: string | null }; // group: null when nothing is there
  };
  backend: { labgate: 'nft' | 'legacy'; multipass: 'nft' | 'legacy' | null };
  ipForward: boolean | null;
  bridgeNetfilter: boolean; // br_netfilter loaded and bridged traffic sent through iptables
  forwardPolicy: string | null; // the filter FORWARD policy
  forwardChain: string[]; // the filter FORWARD rules, in order
  handMade: HandMadeForward[];
  busyPorts: { name: string; protocol: 'tcp' | 'udp'; port: number }[]; // forwards whose port a program on the host listens on
  multipassBridge: string | null;
  /** Who owns the host's firewall: the copy that answers, the install marked in the kernel's canary, this data dir's install. */
  owner: {
    running: { pid: number; dataDir: string; installId: string; since: string } | null;
    mark: string | null;
    installId: string | null;
  };
  /** The data directory: its free space (null: unreadable) and the least a change needs. */
  store: { dataDir: string; freeBytes: number | null; reserveBytes: number };
}

const ok = (check: string, message: string): Finding => ({ check, severity: 'ok', message });

function kube(f: DoctorFacts['kube']): Finding[] {
  const check = 'Kubernetes';
  if (f.error)
    return [
      {
        check,
        severity: 'fail',
        message: f.error,
        fix: 'export KUBECONFIG=/etc/labgate/kubeconfig  # a kubeconfig for labgate-system/labgate, see docs/install.md',
      },
    ];
  if (f.denied.length) {
    return [
      {
        check: 'Kubernetes permissions',
        severity: 'fail',
        message: `labgate's identity needs ${f.denied.join(', ')}.`,
        fix: 'kubectl apply -f deploy/rbac.yaml',
      },
    ];
  }
  return [
    ok(check, `API server ${f.version ?? ''} answers; every permission labgate uses is granted.`.replace('  ', ' ')),
    ...admission(f.admissionPolicy),
  ];
}

function admission(state: DoctorFacts['kube']['admissionPolicy']): Finding[] {
  const check = 'Admission policy';
  const fix = 'kubectl apply -f deploy/admission-policy.yaml';
  if (state === 'installed')
    return [ok(check, 'the apiserver lets labgate change only the fields labgate changes (labgate-least-privilege).')];
  if (state === 'unbound')
    return [
      { check, severity: 'warn', message: 'The policy labgate-least-privilege is there but has no binding, so it enforces nothing.', fix },
    ];
  if (state === 'missing')
    return [
      {
        check,
        severity: 'warn',
        message: "The apiserver does not hold labgate's admission policy: a stolen token could change any field RBAC allows.",
        fix,
      },
    ];
  return [];
}

// Never "add labgate's user to the socket's group": that group is sudo, admin or wheel.
const MULTIPASS_AUTH =
  'multipass set local.passphrase  # as a user Multipass accepted; then: sudo labgate multipass-auth (the passphrase on stdin)';

function multipass(f: DoctorFacts['multipass']): Finding[] {
  const check = 'Multipass';
  if (f.errorKind === 'daemon-down' || (!f.error && !f.daemon))
    return [{ check, severity: 'fail', message: f.error ?? 'The Multipass daemon is not running.', fix: 'snap start multipass' }];
  if (f.errorKind === 'access-denied')
    return [
      {
        check,
        severity: 'fail',
        message: `The Multipass daemon has accepted no client yet, so its socket ${f.socket.path} is open only to group ${f.socket.group ?? 'sudo'}.`,
        fix: `multipass list  # once, as a user in group ${f.socket.group ?? 'sudo'}: the daemon accepts it and opens its socket; then ${MULTIPASS_AUTH}`,
      },
    ];
  if (f.errorKind === 'not-authenticated')
    return [
      { check, severity: 'fail', message: "The Multipass daemon has not accepted labgate's client certificate.", fix: MULTIPASS_AUTH },
    ];
  if (f.error) return [{ check, severity: 'fail', message: f.error }];
  const accepted = ok(check, `multipassd ${f.daemon}, labgate's client accepted.`);
  if (!f.update) return [accepted];
  return [
    accepted,
    { check, severity: 'warn', message: `Multipass ${f.update.version} is out (${f.update.url}).`, fix: 'snap refresh multipass' },
  ];
}

function firewall(f: DoctorFacts): Finding[] {
  const out: Finding[] = [];
  const { labgate, multipass: mp } = f.backend;
  if (mp && mp !== labgate) {
    out.push({
      check: 'iptables backend',
      severity: 'fail',
      message: `Multipass's rules are in iptables-${mp} but labgate uses iptables-${labgate}: the two would not see each other.`,
      fix: `update-alternatives --set iptables /usr/sbin/iptables-${mp}  # then restart labgate`,
    });
  } else {
    out.push(ok('iptables backend', `iptables-${labgate}${mp ? ', as Multipass uses' : ''}.`));
  }
  out.push(
    f.ipForward === false
      ? {
          check: 'IP forwarding',
          severity: 'fail',
          message: 'net.ipv4.ip_forward is 0: no forward can reach a VM.',
          fix: "sysctl -w net.ipv4.ip_forward=1 && echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/60-labgate.conf",
        }
      : f.ipForward === null
        ? { check: 'IP forwarding', severity: 'warn', message: 'net.ipv4.ip_forward could not be read.' }
        : ok('IP forwarding', 'on.'),
  );
  const bridge = f.multipassBridge ?? 'mpqemubr0';
  if (f.forwardPolicy === 'DROP') {
    out.push({
      check: 'FORWARD policy',
      severity: 'warn',
      message:
        "The filter FORWARD policy is DROP (Docker sets it). labgate's forwards still work; the VMs' own traffic through the host may not.",
      fix: `iptables -I DOCKER-USER -i ${bridge} -j ACCEPT && iptables -I DOCKER-USER -o ${bridge} -j ACCEPT`,
    });
  }
  if (f.bridgeNetfilter && f.forwardPolicy === 'DROP') {
    out.push({
      check: 'br_netfilter',
      severity: 'warn',
      message: 'br_netfilter sends bridged VM-to-VM traffic through iptables FORWARD, whose policy is DROP: VMs may not reach each other.',
      fix: `iptables -I DOCKER-USER -i ${bridge} -o ${bridge} -j ACCEPT`,
    });
  }
  const jump = f.forwardChain.findIndex((r) => r.includes(`-j ${CHAIN.forward}`));
  const reject = f.forwardChain.findIndex((r) => / -j REJECT( |$)/.test(r));
  if (jump >= 0 && reject >= 0 && jump > reject) {
    out.push({
      check: 'Rule order',
      severity: 'fail',
      message: `labgate's FORWARD jump is rule ${jump + 1}, after a REJECT at rule ${reject + 1}: forwarded connections are rejected before labgate accepts them.`,
      fix: `iptables -D FORWARD ${jump + 1} && iptables -I FORWARD 1 -m comment --comment labgate -j ${CHAIN.forward}`,
    });
  } else if (jump >= 0) {
    out.push(ok('Rule order', "labgate's FORWARD jump comes before every REJECT."));
  }
  for (const h of f.handMade) {
    out.push({
      check: 'Hand-made forward',
      severity: 'warn',
      message: `A rule outside labgate forwards ${h.protocol} port ${h.listenPort} to ${h.targetIP}:${h.targetPort}: it shadows a labgate forward on that port. Adopt it on the Forwards page, or remove it:`,
      fix: h.rules.map((r) => `iptables -t ${r.table} ${r.line.replace(/^-A /, '-D ')}`).join(' && '),
    });
  }
  for (const p of f.busyPorts) {
    out.push({
      check: 'Ports',
      severity: 'warn',
      message: `A program on this host listens on ${p.protocol} port ${p.port}, which the forward "${p.name}" uses: local connections reach the program, LAN ones the forward.`,
      fix: `ss -lnp${p.protocol === 'udp' ? 'u' : 't'} 'sport = :${p.port}'  # find the program, then move it or the forward`,
    });
  }
  return out;
}

/** Every finding, in the order the checks run: the cluster, Multipass, then the firewall. Pure. */
export function diagnose(f: DoctorFacts): Finding[] {
  return [...kube(f.kube), ...multipass(f.multipass), ...firewall(f), owner(f.owner), store(f.store)];
}

function owner({ running, mark, installId }: DoctorFacts['owner']): Finding {
  const check = 'Owner';
  if (running) {
    const other = installId && running.installId !== installId ? ` — another install than this data dir's (${installId})` : '';
    return ok(
      check,
      `labgate pid ${running.pid} owns this host's firewall (data dir ${running.dataDir}, since ${running.since}, install ${running.installId})${other}.`,
    );
  }
  if (mark)
    return {
      check,
      severity: 'warn',
      message: `No labgate runs on this host, and the rules in its chains were written by install ${mark}${mark === installId ? ' (this data dir)' : ''}: nothing keeps them true.`,
      fix:
        mark === installId
          ? 'systemctl start labgate-host labgate'
          : 'labgate remove-rules  # then start the copy that should own the host',
    };
  return {
    check,
    severity: 'warn',
    message: 'No labgate runs on this host: nothing keeps forwards true.',
    fix: 'systemctl start labgate-host labgate',
  };
}

function store({ dataDir, freeBytes, reserveBytes }: DoctorFacts['store']): Finding {
  const check = 'Data directory';
  if (freeBytes === null)
    return { check, severity: 'fail', message: `${dataDir} cannot be read.`, fix: `ls -ld ${dataDir}  # it must exist and be labgate's` };
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (freeBytes < reserveBytes)
    return {
      check,
      severity: 'fail',
      message: `${dataDir} has ${mb(freeBytes)} free, less than the ${mb(reserveBytes)} a change needs: every change is refused.`,
      fix: `df -h ${dataDir}  # and free some space there`,
    };
  return ok(check, `${mb(freeBytes)} free in ${dataDir}.`);
}

const MARK = { ok: '✔', warn: '!', fail: '✖' } as const;

/** For the terminal: one line per finding, its fix indented below. */
export function formatFindings(findings: readonly Finding[]): string {
  const lines = findings.flatMap((x) => [`${MARK[x.severity]} ${x.check}: ${x.message}`, ...(x.fix ? [`    fix: ${x.fix}`] : [])]);
  const failed = findings.filter((x) => x.severity === 'fail').length;
  const warned = findings.filter((x) => x.severity === 'warn').length;
  return `${lines.join('\n')}\n\n${failed} problem(s), ${warned} warning(s).\n`;
}
