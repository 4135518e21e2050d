import { describe, expect, it } from 'vitest';
import { alternativeName, mdnsName, publishEvent, publishProblem } from './lan-names';

describe('alternativeName', () => {
  it.each([
    ['grafana', 'grafana-2'],
    ['grafana-2', 'grafana-3'],
    ['grafana-9', 'grafana-10'],
    ['kube-prometheus', 'kube-prometheus-2'],
    ['a'.repeat(63), `${'a'.repeat(61)}-2`],
  ])('%s → %s', (name, next) => {
    expect(alternativeName(name)).toBe(next);
    expect(alternativeName(name).length).toBeLessThanOrEqual(63);
  });
});

describe('publishEvent: avahi-publish -v lines', () => {
  it.each([
    ["Established under name 'grafana.local'", { kind: 'established' }],
    ["Name collision, picking new name 'grafana-2.local'.", { kind: 'collision' }],
    ["Name collision, picking new name '(null)'.", { kind: 'collision' }],
    ['Failed to add address: Local name collision', { kind: 'collision' }],
    ['Failed to create client object: Daemon not running', { kind: 'failure', message: 'Daemon not running' }],
    ['Failed to add address: Invalid host name', { kind: 'failure', message: 'Invalid host name' }],
    ['Client failure, exiting: Daemon connection failed', { kind: 'failure', message: 'Daemon connection failed' }],
    ['Server version: avahi 0.8; Host name: lab-host.local', null],
    ['Waiting for daemon ...', null],
  ])('%s', (line, event) => {
    expect(publishEvent(line)).toEqual(event);
  });
});

describe('publishProblem', () => {
  it('names the daemon and the command when it is not running', () => {
    expect(publishProblem('Daemon not running')).toMatch(/avahi-daemon is not running.*systemctl enable --now avahi-daemon/);
  });
  it('passes on any other refusal', () => {
    expect(publishProblem('Invalid host name')).toBe('avahi-daemon refused the name: Invalid host name.');
  });
  it('publishes under .local', () => expect(mdnsName('grafana')).toBe('grafana.local'));
});
