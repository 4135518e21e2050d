import { describe, expect, it } from 'vitest';
import { instanceActions, instanceState, multipassProblemTitle } from './instances';

describe('instanceState', () => {
  it.each([
    { state: 'Running', tone: 'green', running: true },
    { state: 'Delayed Shutdown', tone: 'amber', running: true },
    { state: 'Starting', tone: 'amber', running: false },
    { state: 'Restarting', tone: 'amber', running: false },
    { state: 'Suspending', tone: 'amber', running: false },
    { state: 'Suspended', tone: 'gray', running: false },
    { state: 'Stopped', tone: 'gray', running: false },
    { state: 'Deleted', tone: 'gray', running: false },
    { state: 'Unavailable', tone: 'red', running: false },
    { state: 'Unknown', tone: 'red', running: false },
  ])('$state: $tone, running $running, said in words', ({ state, tone, running }) => {
    const info = instanceState(state);
    expect(info).toMatchObject({ tone, running, label: state });
    expect(info.meaning.length).toBeGreaterThan(10);
  });

  it.each([
    { state: 'Hibernating', label: 'Hibernating' },
    { state: '', label: 'Unknown' },
    { state: 'constructor', label: 'constructor' },
    { state: '__proto__', label: '__proto__' },
  ])('a state it does not know ($label) is shown as reported and treated as Unknown', ({ state, label }) => {
    expect(instanceState(state)).toMatchObject({ tone: 'red', running: false, label });
  });
});

describe('multipassProblemTitle', () => {
  it.each([
    { kind: 'daemon-down', title: 'Multipass is not answering' },
    { kind: 'timeout', title: 'Multipass is not answering' },
    { kind: 'malformed', title: 'Multipass is not answering' },
    { kind: null, title: 'Multipass is not answering' },
    { kind: 'access-denied', title: 'Multipass does not accept labgate' },
    { kind: 'not-authenticated', title: 'Multipass does not accept labgate' },
    { kind: 'wrong-passphrase', title: 'Multipass does not accept labgate' },
    { kind: 'no-passphrase', title: 'Multipass does not accept labgate' },
  ])('$kind: "$title"', ({ kind, title }) => expect(multipassProblemTitle(kind)).toBe(title));
});

describe('instanceActions', () => {
  it.each([
    { state: 'Running', actions: ['stop', 'restart', 'suspend', 'delete'] },
    { state: 'Delayed Shutdown', actions: ['cancel-stop', 'stop', 'restart', 'delete'] },
    { state: 'Stopped', actions: ['start', 'delete'] },
    { state: 'Suspended', actions: ['start', 'delete'] },
    { state: 'Deleted', actions: ['delete'] },
    { state: 'Unknown', actions: ['stop', 'delete'] },
    { state: 'Starting', actions: [] },
    { state: 'Suspending', actions: [] },
    { state: 'Hibernating', actions: [] },
  ])('$state offers $actions', ({ state, actions }) => {
    expect(instanceActions(state)).toEqual(actions);
  });
});
