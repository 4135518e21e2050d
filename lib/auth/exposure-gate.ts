import { EXPOSURE_COOKIE, SIGN_IN_PATH } from './exposure-sign-in';

/** An exposure's name as Caddy's config spells it: one DNS label and .local. */
export const EXPOSURE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.local$/;

/** The page on the dashboard that sends a signed-in person on to an exposure. */
export const OPEN_PATH = '/open';

/** A request to an exposure, as Caddy's forward_auth describes it to labgate. */
export interface GateRequest {
  name: string; // grafana.local
  method: string; // X-Forwarded-Method
  uri: string; // X-Forwarded-Uri: the path and query asked for on the exposure
  cookieHeader: string; // the request's Cookie header
  dashboard: string; // the dashboard's origin, where signing in happens
}

export type GateAnswer =
  | { kind: 'redeem'; token: string } // a sign-in link: trade its token for the cookie
  | { kind: 'admit'; forwardedCookies: string } // in, with the Cookie header the service may see
  | { kind: 'sign-in'; location: string } // to the dashboard and back
  | { kind: 'refuse'; message: string }; // not a page load: no redirect can help

const cookieName = (pair: string) => pair.slice(0, Math.max(pair.indexOf('='), 0)).trim();
/** labgate's own cookies, under any of the names it uses, plain or __Host-. */
const isLabgates = (name: string) => /^(__Host-)?labgate_/i.test(name);

/** The Cookie header without labgate's cookies: what the exposed service receives. */
export const withoutLabgateCookies = (header: string): string =>
  header
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p && !isLabgates(cookieName(p)))
    .join('; ');

/** The value of the exposure's cookie; with several (a stale one on a path), each is tried. */
export const exposureCookies = (header: string): string[] =>
  header
    .split(';')
    .map((p) => p.trim())
    .filter((p) => cookieName(p) === EXPOSURE_COOKIE)
    .map((p) => p.slice(p.indexOf('=') + 1));

/** What the gate answers, given whether a cookie value admits its bearer to this name. Pure. */
export function gate(req: GateRequest, admits: (cookie: string) => boolean): GateAnswer {
  const url = URL.parse(req.uri.startsWith('/') ? req.uri : '/', 'https://exposure.invalid');
  if (url?.pathname === SIGN_IN_PATH) return { kind: 'redeem', token: url.searchParams.get('token') ?? '' };
  if (exposureCookies(req.cookieHeader).some(admits)) return { kind: 'admit', forwardedCookies: withoutLabgateCookies(req.cookieHeader) };
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return { kind: 'refuse', message: `${req.name} needs a sign-in to labgate: open it in the browser first.` };
  const open = new URL(OPEN_PATH, req.dashboard);
  open.searchParams.set('name', req.name);
  open.searchParams.set('next', url ? url.pathname + url.search : '/');
  return { kind: 'sign-in', location: open.toString() };
}
