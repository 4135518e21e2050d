/**
 * labgate's command line: `npm run labgate -- <command>`.
 *   reset-password [--stdin]   set a new admin password (generated, or read from stdin) and end all sessions
 *   doctor [--json]            check everything labgate depends on; each problem with its fix
 *   remove-rules               take labgate's chains and jumps off this host (uninstall)
 *   multipass-auth             have the Multipass daemon accept labgate's client certificate (passphrase on stdin)
 */
import { resetAdminPassword } from '@/lib/auth/admin';
import { env } from '@/lib/env';
import { openDatabase } from '@/lib/store/db';
import { Login } from '@/lib/schemas/session';

const USAGE = `usage: npm run labgate -- <command>

commands:
  reset-password [--stdin]   set a new admin password and end every session;
                             generated unless --stdin gives one (first line of input)
  doctor [--json]            check the cluster connection and permissions, Multipass, the
                             firewall and ports; each problem with the command that fixes it
  remove-rules               take labgate's chains and jumps off this host, and nothing else
                             (stop labgate first, or its reconciler puts them back)
  multipass-auth             have the Multipass daemon accept labgate's client certificate
                             (in LABGATE_DATA_DIR), with the passphrase set by
                             \`multipass set local.passphrase\` on the first line of input`;

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]?.replace(/\r$/, '') ?? '';
}

async function resetPassword(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--stdin');
  if (unknown.length) {
    console.error(`reset-password: unknown option ${unknown.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  let given: string | undefined;
  if (args.includes('--stdin')) {
    const parsed = Login.shape.password.min(8, 'The new password needs at least 8 characters.').safeParse(await readStdinLine());
    if (!parsed.success) {
      console.error(`reset-password: ${parsed.error.issues[0]?.message}`);
      return 2;
    }
    given = parsed.data;
  }
  const settings = env();
  const db = openDatabase(settings.dataDir);
  try {
    const { password, sessionsEnded } = await resetAdminPassword(db, given);
    console.log(`labgate: the admin password for ${settings.dataDir} is now set; ${sessionsEnded} session(s) ended.`);
    if (!given) console.log(`labgate: new admin password: ${password}`);
    if (settings.adminPassword) {
      console.warn('labgate: LABGATE_ADMIN_PASSWORD is set; the server puts that password back when it next starts.');
    }
    return 0;
  } finally {
    db.close();
  }
}

async function doctor(args: string[]): Promise<number> {
  const { runDoctor } = await import('@/lib/doctor');
  const { formatFindings } = await import('@/lib/domain/diagnosis');
  const findings = await runDoctor();
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(findings, null, 2)}\n` : formatFindings(findings));
  return findings.some((f) => f.severity === 'fail') ? 1 : 0;
}

async function removeRules(): Promise<number> {
  const { Firewall } = await import('@/lib/host/firewall/firewall');
  const { detectBackend, execRunner } = await import('@/lib/host/firewall/runner');
  const removed = await new Firewall(execRunner(await detectBackend())).remove();
  console.log(
    removed ? "labgate: removed labgate's chains and jumps; every other rule is as it was." : 'labgate: this host has no labgate rules.',
  );
  return 0;
}

async function multipassAuth(args: string[]): Promise<number> {
  if (args.length) {
    console.error(`multipass-auth: it takes no arguments; the passphrase comes on stdin\n\n${USAGE}`);
    return 2;
  }
  const passphrase = await readStdinLine();
  if (!passphrase) {
    console.error('multipass-auth: no passphrase on stdin (the one `multipass set local.passphrase` set).');
    return 2;
  }
  const { clientIdentity, identityFiles } = await import('@/lib/multipass/identity.mts');
  const { MultipassRpc } = await import('@/lib/multipass/rpc.mts');
  const settings = env();
  const rpc = new MultipassRpc(settings.multipassSocket, await clientIdentity(settings.dataDir));
  try {
    await rpc.authenticate(passphrase);
    console.log(
      `labgate: Multipass on ${settings.multipassSocket} accepted labgate's client certificate (${identityFiles(settings.dataDir).cert}).`,
    );
    return 0;
  } catch (e) {
    console.error(`multipass-auth: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    rpc.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'reset-password':
      return resetPassword(rest);
    case 'doctor':
      return doctor(rest);
    case 'remove-rules':
      return removeRules();
    case 'multipass-auth':
      return multipassAuth(rest);
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command ? 0 : 2;
    default:
      console.error(`labgate: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`labgate: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
