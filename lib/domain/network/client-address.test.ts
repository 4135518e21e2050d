import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

describe('clientAddress', () => {
  it.each([
    {
      name: 'no proxy: the connection, whatever X-Forwarded-For says',
      remote: '192.168.50.10',
      xff: '1.2.3.4',
      trusted: [],
      want: '192.168.50.10',
    },
    { name: 'an IPv4 peer on a dual-stack socket', remote: '::ffff:192.168.50.10', xff: null, trusted: [], want: '192.168.50.10' },
    {
      name: 'an untrusted peer cannot claim to be a proxy',
      remote: '192.168.50.66',
      xff: '192.168.50.10',
      trusted: ['127.0.0.1'],
      want: '192.168.50.66',
    },
    {
      name: 'a trusted proxy: the address it saw',
      remote: '127.0.0.1',
      xff: '192.168.50.10',
      trusted: ['127.0.0.1'],
      want: '192.168.50.10',
    },
    {
      name: 'a trusted proxy: what the client wrote before it does not count',
      remote: '127.0.0.1',
      xff: '6.6.6.6, 192.168.50.10',
      trusted: ['127.0.0.0/8'],
      want: '192.168.50.10',
    },
    {
      name: 'a chain of trusted proxies',
      remote: '127.0.0.1',
      xff: '192.168.50.10, 10.0.0.2',
      trusted: ['127.0.0.1', '10.0.0.0/24'],
      want: '192.168.50.10',
    },
    { name: 'a trusted proxy with no header', remote: '127.0.0.1', xff: null, trusted: ['127.0.0.1'], want: '127.0.0.1' },
    { name: 'a trusted proxy that writes garbage', remote: '127.0.0.1', xff: 'x y z', trusted: ['127.0.0.1'], want: '127.0.0.1' },
    { name: 'IPv6 peers', remote: '::1', xff: 'fe80::1', trusted: ['::1'], want: 'fe80::1' },
    { name: "no connection address (not served by labgate's server)", remote: null, xff: '1.2.3.4', trusted: [], want: 'unknown' },
  ])('$name', ({ remote, xff, trusted, want }) => expect(clientAddress(remote, xff, trusted)).toBe(want));
});
