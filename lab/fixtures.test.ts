import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// lab/fixtures holds copies of the shared real-world fixtures: a copy that drifts from its source
// would test against formats nobody saw.
const LAB = path.join(import.meta.dirname, 'fixtures');
const SHARED = path.resolve(import.meta.dirname, '..', '..', 'shared', 'fixtures');
const files = fs.globSync('**/*', { cwd: LAB }).filter((f) => fs.statSync(path.join(LAB, f)).isFile());
const copies = files.filter((f) => fs.existsSync(path.join(SHARED, f)));

describe('lab/fixtures and the shared fixtures they copy', () => {
  it('the shared fixtures are beside the checkout, and most lab fixtures are copies of them', () => {
    expect(fs.existsSync(SHARED)).toBe(true);
    expect(copies.length).toBeGreaterThan(10);
  });

  it.each(copies)('%s is byte-identical to its source', (file) => {
    expect(fs.readFileSync(path.join(LAB, file)).equals(fs.readFileSync(path.join(SHARED, file)))).toBe(true);
  });
});
