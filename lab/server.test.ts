import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unreadableByOthers } from './server.mts';

describe('unreadableByOthers', () => {
  it.each([
    { mode: 0o755, want: null },
    { mode: 0o750, want: /is not readable and enterable by other users \(mode 750\)/ },
    { mode: 0o700, want: /mode 700/ },
  ])('a checkout under a folder of mode $mode', ({ mode, want }) => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-perm-'));
    try {
      const checkout = path.join(parent, 'labgate');
      fs.mkdirSync(checkout, { mode: 0o755 });
      fs.chmodSync(parent, mode);
      const got = unreadableByOthers(checkout);
      if (want === null) expect(got).toBeNull();
      else expect(got).toMatch(want);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
