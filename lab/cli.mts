// `npm run lab -- <command>`: the lab in a box from the command line.
import { parseArgs } from 'node:util';
import {
  acceptedByMultipass,
  revokedByMultipass,
  setMultipassSlowness,
  setMultipassState,
  apiserver,
  dockerRules,
  movePod,
  multipassDaemon,
  rebootFirewall,
  restoreSeedInstance,
  forgetImages,
  setInstanceAddress,
  setMultipassFormat,
} from './controls.mts';
import { setRestoreFailing } from './faults.mts';
import { labDown, labEnv, labStatus, labUp } from './lab.mts';
import { ensureDebianPackages } from '../scripts/lib/setup.mts';
import { labPaths } from './paths.mts';
import { readStandIn } from './multipass/standin.mts';
import { ensureSystemRoot, SYSTEM_PACKAGES } from './system.mts';
import { DEFAULT_SCALE } from './scale.mts';
import { DEFAULT_PREFIX } from './topology.mts';

const USAGE = `usage: npm run lab -- <command> [--prefix P]

  up [--docker] [--multipass-format release|zones] [--scale [NODES,SERVICES,PODS]]
                         build (once) and start the lab; --scale defaults to ${DEFAULT_SCALE.nodes},${DEFAULT_SCALE.services},${DEFAULT_SCALE.pods}
  down                   stop and remove everything the lab made
  status                 what runs, as JSON
  env                    the environment for labgate in the lab's host namespace (shell exports)
  reboot                 flush the host's nat and filter tables as a reboot would; the daemons put their rules back
  docker-rules on|off    a Docker-style rule set (FORWARD policy DROP, DOCKER-USER, DOCKER-FORWARD)
  multipass stop|start   stop or start the Multipass stand-in's daemon (with multipassd's firewall clean-up)
  multipass format release|zones
  multipass accept DATA_DIR        labgate's Multipass identity in DATA_DIR, accepted by the lab's daemon (as after labgate multipass-auth)
  multipass instances              the daemon's instances as it knows them (JSON)
  multipass state INSTANCE STATE   what the daemon reports of an instance's state (e.g. "Delayed Shutdown"); the VM itself is untouched
  multipass slow MS                the daemon's list and info take MS milliseconds from now on (0: at once)
  multipass restore INSTANCE       an instance back as the lab seeds it (state, addresses, network), after a test changed its life
  multipass forget-images          the daemon's downloaded images forgotten: the next launch downloads its image
  multipass revoke DATA_DIR        that identity taken out of the daemon's accepted certificates, the daemon restarted
  apiserver stop|start
  iptables-restore fail|ok        make labgate's iptables-restore fail (run without CAP_NET_ADMIN), or work again
  move-pod NAMESPACE SELECTOR      cordon the pod's node, delete the pod, wait for it elsewhere
  set-ip INSTANCE ADDRESS          give an instance a new address on the bridge
  system-root                      make (once, cached) the Debian 12 root file system the install test boots; prints its path

The prefix (default ${DEFAULT_PREFIX}, or LABGATE_LAB_PREFIX) names the lab's namespaces; labs with different prefixes run side by side.`;

const log = (m: string) => process.stderr.write(`lab: ${m}\n`);

function parseScale(value: string | boolean | undefined) {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === '') return DEFAULT_SCALE; // `--scale` alone
  const [nodes, services, pods] = value.split(',').map(Number);
  if (![nodes, services, pods].every((n) => Number.isInteger(n) && n! > 0))
    throw new Error('--scale takes NODES,SERVICES,PODS as positive whole numbers');
  return { nodes: nodes!, services: services!, pods: pods! };
}

async function main(raw: string[]): Promise<number> {
  // `--scale` alone means the default profile.
  const argv = raw.map((a, i) =>
    a === '--scale' && (raw[i + 1] === undefined || raw[i + 1]!.startsWith('-') || !/^\d/.test(raw[i + 1]!)) ? '--scale=' : a,
  );
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      prefix: { type: 'string', default: process.env.LABGATE_LAB_PREFIX ?? DEFAULT_PREFIX },
      docker: { type: 'boolean', default: false },
      'multipass-format': { type: 'string', default: 'release' },
      scale: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, ...args] = positionals;
  const prefix = values.prefix!;
  const format = values['multipass-format'];
  if (format !== 'release' && format !== 'zones') throw new Error('--multipass-format is release or zones');

  switch (command) {
    case 'up': {
      const started = Date.now();
      await labUp(prefix, { docker: values.docker, multipassFormat: format, scale: parseScale(values.scale), log });
      log(`up in ${((Date.now() - started) / 1000).toFixed(1)} s (prefix ${prefix})`);
      return 0;
    }
    case 'down': {
      const started = Date.now();
      const res = await labDown(prefix);
      log(`down in ${((Date.now() - started) / 1000).toFixed(1)} s: ${res.namespaces.length} namespaces, ${res.processes} processes`);
      return 0;
    }
    case 'status':
      process.stdout.write(`${JSON.stringify(await labStatus(prefix), null, 2)}\n`);
      return 0;
    case 'env':
      for (const [k, v] of Object.entries(labEnv(prefix))) process.stdout.write(`export ${k}='${v}'\n`);
      return 0;
    case 'reboot':
      await rebootFirewall(prefix);
      return 0;
    case 'docker-rules':
      if (args[0] !== 'on' && args[0] !== 'off') throw new Error('docker-rules takes on or off');
      await dockerRules(prefix, args[0] === 'on');
      return 0;
    case 'multipass':
      if (args[0] === 'stop' || args[0] === 'start') await multipassDaemon(prefix, args[0] === 'stop' ? 'stopped' : 'running');
      else if (args[0] === 'format' && (args[1] === 'release' || args[1] === 'zones')) setMultipassFormat(prefix, args[1]);
      else if (args[0] === 'accept' && args[1]) await acceptedByMultipass(prefix, args[1]);
      else if (args[0] === 'revoke' && args[1]) await revokedByMultipass(prefix, args[1]);
      else if (args[0] === 'instances') process.stdout.write(`${JSON.stringify(readStandIn(labPaths(prefix)).instances)}\n`);
      else if (args[0] === 'state' && args.length === 3) setMultipassState(prefix, args[1]!, args[2]!);
      else if (args[0] === 'slow' && /^\d+$/.test(args[1] ?? '')) setMultipassSlowness(prefix, Number(args[1]));
      else if (args[0] === 'restore' && args[1]) await restoreSeedInstance(prefix, args[1]);
      else if (args[0] === 'forget-images') forgetImages(prefix);
      else
        throw new Error(
          'multipass takes stop, start, format release|zones, state INSTANCE STATE, slow MS, restore INSTANCE, forget-images, accept DATA_DIR or revoke DATA_DIR',
        );
      return 0;
    case 'apiserver':
      if (args[0] !== 'stop' && args[0] !== 'start') throw new Error('apiserver takes stop or start');
      await apiserver(prefix, args[0] === 'stop' ? 'stopped' : 'running');
      return 0;
    case 'iptables-restore':
      if (args[0] !== 'fail' && args[0] !== 'ok') throw new Error('iptables-restore takes fail or ok');
      setRestoreFailing(labPaths(prefix), args[0] === 'fail');
      return 0;
    case 'move-pod': {
      if (args.length !== 2) throw new Error('move-pod takes NAMESPACE SELECTOR');
      const moved = await movePod(prefix, { namespace: args[0]!, selector: args[1]! });
      process.stdout.write(`${JSON.stringify(moved)}\n`);
      return 0;
    }
    case 'set-ip':
      if (args.length !== 2) throw new Error('set-ip takes INSTANCE ADDRESS');
      await setInstanceAddress(prefix, args[0]!, args[1]!);
      return 0;
    case 'system-root':
      ensureDebianPackages(SYSTEM_PACKAGES);
      process.stdout.write(`${ensureSystemRoot(log)}\n`);
      return 0;
    case undefined:
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command ? 0 : 2;
    default:
      process.stderr.write(`lab: unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    log(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
