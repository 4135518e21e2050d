import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(hash).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
  });

  it.each([
    { name: 'empty', stored: '' },
    { name: 'other scheme', stored: 'bcrypt$2b$10$abc' },
    { name: 'missing key', stored: 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0' },
    { name: 'absurd cost', stored: `scrypt$${2 ** 30}$8$1$c2FsdHNhbHRzYWx0$${'A'.repeat(43)}` },
    { name: 'non-numeric cost', stored: `scrypt$x$8$1$c2FsdHNhbHRzYWx0$${'A'.repeat(43)}` },
    { name: 'short salt', stored: `scrypt$32768$8$1$AA$${'A'.repeat(43)}` },
  ])('never matches a malformed stored hash ($name)', async ({ stored }) => {
    expect(await verifyPassword('anything', stored)).toBe(false);
  });

  it('generates distinct URL-safe passwords of 20 characters', () => {
    const seen = new Set(Array.from({ length: 50 }, generatePassword));
    expect(seen.size).toBe(50);
    for (const p of seen) expect(p).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });
});
