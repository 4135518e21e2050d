import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Server actions are public endpoints: every one checks the session before doing anything.
const dir = __dirname;
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const PUBLIC = new Set(['session.ts:login', 'session.ts:logout']); // logging in and out need no session

const actions = files.flatMap((file) => {
  const source = fs.readFileSync(path.join(dir, file), 'utf8');
  expect(source.startsWith("'use server'")).toBe(true);
  return [...source.matchAll(/^export (?:async function (\w+)\(|const (\w+) = (\w+)\()/gm)].map((m) => ({
    file,
    name: (m[1] ?? m[2])!,
    wrapper: m[3] ?? null,
  }));
});

describe('server action inventory', () => {
  it('finds the actions from the files', () => {
    expect(actions.map((a) => a.name)).toEqual(
      expect.arrayContaining([
        'createForward',
        'deleteForward',
        'adoptForward',
        'changeNodeLabel',
        'changeService',
        'pinWorkload',
        'planExpose',
        'applyExposeAction',
        'undoExposeAction',
        'login',
        'logout',
      ]),
    );
  });

  it.each(actions.filter((a) => !PUBLIC.has(`${a.file}:${a.name}`)).map((a) => [`${a.file}:${a.name}`, a.wrapper]))(
    '%s is made with withSession, which checks the session first',
    (_name, wrapper) => {
      expect(wrapper).toBe('withSession');
    },
  );
});
