import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeEnv, runtimeEnvFile } from './runtime-env.mts';

const ROOT = path.resolve(import.meta.dirname, '..');

function rootWith(text: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-runtime-env-'));
  fs.mkdirSync(path.dirname(runtimeEnvFile(root)), { recursive: true });
  fs.writeFileSync(runtimeEnvFile(root), text);
  return root;
}

describe('the runtime settings the units load', () => {
  it('the shipped file parses, and sets glibc arenas', () => {
    expect(runtimeEnv(ROOT)).toMatchObject({ MALLOC_ARENA_MAX: '2' });
  });

  it.each([
    { name: 'comments and blank lines are skipped', text: '# why\n\nA=1\n  # indented\nB=x y\n', env: { A: '1', B: 'x y' } },
    { name: 'an empty value stays empty', text: 'A=\n', env: { A: '' } },
  ])('$name', ({ text, env }) => {
    expect(runtimeEnv(rootWith(text))).toEqual(env);
  });

  it.each([
    { name: 'quoting, which systemd would read differently', text: 'NODE_OPTIONS="--a --b"\n' },
    { name: 'a line without =', text: 'MALLOC_ARENA_MAX\n' },
    { name: 'a lowercase key', text: 'path=/x\n' },
  ])('refuses $name', ({ text }) => {
    expect(() => runtimeEnv(rootWith(text))).toThrow(/not a plain KEY=VALUE line/);
  });
});
