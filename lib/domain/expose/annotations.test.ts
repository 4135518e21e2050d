import { describe, expect, it } from 'vitest';
import { exposeAnnotation, labgateAnnotations } from './annotations';

describe('exposeAnnotation', () => {
  it.each([
    { name: 'none', annotations: {}, want: null },
    { name: 'expose "false"', annotations: { 'labgate.dev/expose': 'false' }, want: null },
    { name: 'expose "true"', annotations: { 'labgate.dev/expose': 'true' }, want: { port: null, name: null, https: false, signIn: false } },
    {
      name: 'with a port and a name',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/port': '3000', 'labgate.dev/name': 'grafana' },
      want: { port: 3000, name: 'grafana', https: false, signIn: false },
    },
    {
      name: 'https "false"',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/https': 'false' },
      want: { port: null, name: null, https: false, signIn: false },
    },
    {
      name: 'expose "yes"',
      annotations: { 'labgate.dev/expose': 'yes' },
      want: { error: 'labgate.dev/expose is "yes": use "true" or "false".' },
    },
    {
      name: 'a port that is not one',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/port': '1e4' },
      want: { error: 'labgate.dev/port is "1e4": use one of the Service\'s port numbers.' },
    },
    {
      name: 'port 0',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/port': '0' },
      want: { error: expect.stringContaining('port') },
    },
    {
      name: 'a name with a rule smuggled in',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/name': 'x\n-A INPUT -j ACCEPT' },
      want: { error: expect.stringContaining('use a DNS label') },
    },
    {
      name: 'an access rule: addresses and networks, as the kernel keeps them',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/allow-from': '192.168.50.10, 192.168.50.77/28 192.168.50.10' },
      want: { port: null, name: null, https: false, signIn: false, allowFrom: ['192.168.50.10/32', '192.168.50.64/28'] },
    },
    {
      name: 'an access rule with a name in it',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/allow-from': '192.168.50.10, phone.local' },
      want: { error: expect.stringContaining('labgate.dev/allow-from is "192.168.50.10, phone.local": list 1 to 32 IPv4') },
    },
    {
      name: 'an empty access rule',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/allow-from': ' , ' },
      want: { error: expect.stringContaining('labgate.dev/allow-from') },
    },
    {
      name: 'https with a name',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/https': 'true', 'labgate.dev/name': 'grafana' },
      want: { port: null, name: 'grafana', https: true, signIn: false },
    },
    {
      name: 'https without a name (the certificate needs one)',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/https': 'true' },
      want: { error: expect.stringContaining('labgate.dev/https needs labgate.dev/name') },
    },
    {
      name: 'sign-in with HTTPS',
      annotations: {
        'labgate.dev/expose': 'true',
        'labgate.dev/https': 'true',
        'labgate.dev/name': 'grafana',
        'labgate.dev/sign-in': 'true',
      },
      want: { port: null, name: 'grafana', https: true, signIn: true },
    },
    {
      name: 'sign-in without HTTPS',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/name': 'grafana', 'labgate.dev/sign-in': 'true' },
      want: { error: expect.stringContaining('labgate.dev/sign-in needs labgate.dev/https') },
    },
    {
      name: 'sign-in "1"',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/https': 'true', 'labgate.dev/name': 'grafana', 'labgate.dev/sign-in': '1' },
      want: { error: 'labgate.dev/sign-in is "1": use "true" or "false".' },
    },
    {
      name: 'https "yes"',
      annotations: { 'labgate.dev/expose': 'true', 'labgate.dev/https': 'yes', 'labgate.dev/name': 'grafana' },
      want: { error: expect.stringContaining('use "true" or "false"') },
    },
  ] as { name: string; annotations: Record<string, string>; want: unknown }[])('$name', ({ annotations, want }) =>
    expect(exposeAnnotation(annotations)).toEqual(want),
  );

  it("keeps only labgate's own annotations", () =>
    expect(
      labgateAnnotations({
        'labgate.dev/expose': 'true',
        'meta.helm.sh/release-name': 'kps',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      }),
    ).toEqual({
      'labgate.dev/expose': 'true',
    }));
});
