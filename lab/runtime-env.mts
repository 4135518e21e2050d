// The servers' runtime settings as the units load them (deploy/systemd/runtime.env, their first
// EnvironmentFile=): the lab tests', the end-to-end tests' and the benches' servers run with them too.
import fs from 'node:fs';
import path from 'node:path';

export const runtimeEnvFile = (root: string) => path.join(root, 'deploy', 'systemd', 'runtime.env');

/** The file's KEY=VALUE lines (systemd's EnvironmentFile= format, without quoting, which it does not use). */
export function runtimeEnv(root: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(runtimeEnvFile(root), 'utf8').split('\n')) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    const m = /^([A-Z_][A-Z0-9_]*)=([^"'\\]*)$/.exec(text);
    if (!m) throw new Error(`${runtimeEnvFile(root)}: not a plain KEY=VALUE line: ${text}`);
    env[m[1]!] = m[2]!;
  }
  return env;
}
