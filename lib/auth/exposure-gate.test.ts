import { describe, expect, it } from 'vitest';
import { exposureCookies, gate, withoutLabgateCookies, type GateRequest } from './exposure-gate';

const GOOD = 'g'.repeat(43);
const request = (over: Partial<GateRequest>): GateRequest => ({
  name: 'grafana.local',
  method: 'GET',
  uri: '/',
  cookieHeader: '',
  dashboard: 'https://192.168.50.27:3000',
  ...over,
});
const admits = (cookie: string) => cookie === GOOD;

describe('the exposure gate', () => {
  it.each([
    [
      'no cookie: to the dashboard and back',
      {},
      { kind: 'sign-in', location: 'https://192.168.50.27:3000/open?name=grafana.local&next=%2F' },
    ],
    [
      'keeps the path and query asked for',
      { uri: '/d/abc?from=now-1h&to=now' },
      { kind: 'sign-in', location: 'https://192.168.50.27:3000/open?name=grafana.local&next=%2Fd%2Fabc%3Ffrom%3Dnow-1h%26to%3Dnow' },
    ],
    [
      'a URI that is not a path goes to /',
      { uri: 'https://evil.example/' },
      { kind: 'sign-in', location: 'https://192.168.50.27:3000/open?name=grafana.local&next=%2F' },
    ],
    ['a wrong cookie is no cookie', { cookieHeader: `__Host-labgate_exposure=${'b'.repeat(43)}` }, { kind: 'sign-in' }],
    [
      'a good cookie admits, and the service gets the other cookies only',
      { cookieHeader: `grafana_session=abc; __Host-labgate_exposure=${GOOD}; theme=dark` },
      { kind: 'admit', forwardedCookies: 'grafana_session=abc; theme=dark' },
    ],
    [
      'a good cookie alone: the service gets no Cookie header',
      { cookieHeader: `__Host-labgate_exposure=${GOOD}` },
      { kind: 'admit', forwardedCookies: '' },
    ],
    [
      'a stale cookie beside a good one',
      { cookieHeader: `__Host-labgate_exposure=old; __Host-labgate_exposure=${GOOD}` },
      { kind: 'admit' },
    ],
    ['the sign-in link', { uri: '/.labgate/sign-in?token=abc' }, { kind: 'redeem', token: 'abc' }],
    ['the sign-in link without a token', { uri: '/.labgate/sign-in' }, { kind: 'redeem', token: '' }],
    ['a POST cannot be redirected to a login', { method: 'POST' }, { kind: 'refuse' }],
    ['a POST with a good cookie goes in', { method: 'POST', cookieHeader: `__Host-labgate_exposure=${GOOD}` }, { kind: 'admit' }],
  ])('%s', (_, over, expected) => {
    expect(gate(request(over), admits)).toMatchObject(expected);
  });

  it.each([
    ['a=1; b=2', 'a=1; b=2'],
    ['labgate_session=x; a=1', 'a=1'],
    ['__Host-labgate_session=x;a=1;  __Host-labgate_exposure=y', 'a=1'],
    ['__HOST-LABGATE_exposure=y', ''],
    ['mylabgate_x=1; labgate=2', 'mylabgate_x=1; labgate=2'],
    ['', ''],
  ])('strips labgate’s cookies from %j', (header, expected) => {
    expect(withoutLabgateCookies(header)).toBe(expected);
  });

  it('reads every exposure cookie, in order', () => {
    expect(exposureCookies('a=1; __Host-labgate_exposure=x; __Host-labgate_exposure=y=z')).toEqual(['x', 'y=z']);
  });
});
