import { describe, expect, it } from 'vitest';
import { hostAllowed } from './hosts';

const known = { names: ['labhost', 'labhost.local', 'lab.example.org'], addresses: ['127.0.0.1', '192.168.50.27', '10.120.52.1', '::1'] };

describe('hostAllowed', () => {
  it.each([
    { host: '192.168.50.27:3000', want: true },
    { host: '192.168.50.27', want: true },
    { host: 'localhost:3000', want: true },
    { host: 'app.localhost', want: true },
    { host: '127.0.0.1:3001', want: true },
    { host: '[::1]:3000', want: true },
    { host: 'LabHost.local:3000', want: true },
    { host: 'labhost.local.', want: true },
    { host: 'lab.example.org', want: true },
    { host: 'evil.example:3000', want: false }, // a rebinding name
    { host: '192.168.50.28:3000', want: false }, // not this host
    { host: '192.168.50.027', want: false },
    { host: 'labhost.local.evil.example', want: false },
    { host: 'labhost@evil.example', want: false },
    { host: '', want: false },
    { host: null, want: false },
    { host: '[fe80::1]:3000', want: false },
  ])('$host: $want', ({ host, want }) => expect(hostAllowed(host, known)).toBe(want));
});
