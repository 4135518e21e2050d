import { describe, expect, it } from 'vitest';
import { processSlot } from '@/lib/process-wide';
import { openDatabase } from '@/lib/store/db';
import { StoreFaults } from '@/lib/store/testing/faults';

// Logging in on a full disk: a wrong password is still a 401, the right one a 507 that says why
// (the session cannot be stored), never an empty 500. The server had started before the disk
// filled: its store is open and the admin password set.
process.env.LABGATE_ROLE = 'ui'; // no host role in this process: the login's audit entry goes nowhere, and is reported
process.env.LABGATE_HOST_TOKEN = 'a-host-token-nobody-answers-0123456789';
const PASSWORD = 'the-right-password';
const faults = new StoreFaults();
const db = openDatabase(process.env.LABGATE_DATA_DIR!);
processSlot('db').set(faults.wrap(db));
await (await import('./admin')).ensureAdminPassword(db, PASSWORD);
const { POST } = await import('@/app/api/auth/login/route');

const login = (password: string, from: string) =>
  POST(
    new Request('http://localhost/api/auth/login', {
      method: 'POST',
      headers: { origin: 'http://localhost', host: 'localhost', 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ password }),
    }),
  );

describe('logging in while the data directory is full', () => {
  it.each([
    ['a wrong password', 'not-the-password', 401, 'Wrong password.'],
    ['the right password', PASSWORD, 507, 'is full: free some space; nothing was changed.'],
  ])('%s: %i, with its message', async (_what, password, status, message) => {
    faults.arm(1, true);
    const res = await login(password, '192.0.2.1');
    faults.disarm();
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toContain(message);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('logs in once there is room again', async () => {
    const res = await login(PASSWORD, '192.0.2.2');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain('labgate_session=');
  });
});
