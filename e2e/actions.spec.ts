import type { APIRequestContext, APIResponse } from '@playwright/test';
import { apiLogin, expect, plantExpiredSession, SESSION_COOKIE, test } from './fixtures/app';
import type { HostApi } from './fixtures/host-api';
import type { Lab } from './fixtures/lab';
import { actionRequest, formActionRequest } from '../lab/actions.mts';
import { discoverServerActions, type ServerAction } from './fixtures/routes';

// Every server action is a public endpoint: called for real through Next's action endpoint, as a
// forged request would call it, with arguments that would change the cluster or the host if it ran.
test.describe.configure({ mode: 'serial' });

const actions = discoverServerActions();
const PUBLIC = new Set(['login', 'logout']);

type Args = { json: unknown[] } | { form: Record<string, string> };

/** Arguments that would change something if the action ran: a form (the form actions) or JSON. */
function argumentsFor(name: string, ctx: { forwardId: string; nodeVersion: string; password: string }): Args {
  switch (name) {
    case 'changeNodeLabel':
      return { form: { node: 'node2', key: 'forged', value: 'yes', resourceVersion: ctx.nodeVersion } };
    case 'changeService':
      return { form: { namespace: 'default', name: 'redis', type: 'NodePort', port: '6379', nodePort: '31999' } };
    case 'pinWorkload':
      return { form: { workload: 'Deployment/default/whoami', key: 'kubernetes.io/hostname', value: 'node3' } };
    case 'createForward':
      return { form: { name: 'Forged', listenPort: '8081', targetKind: 'instance', targetInstance: 'ops', targetPort: '8080' } };
    case 'editForward':
      return {
        form: { id: ctx.forwardId, name: 'Forged', listenPort: '8084', targetKind: 'instance', targetInstance: 'ops', targetPort: '8080' },
      };
    case 'login':
      return { form: { password: ctx.password } };
    case 'deleteForward':
      return { json: [ctx.forwardId] };
    case 'adoptForward':
      return { json: ['nat/PREROUTING/tcp/8080', true] };
    case 'planExpose':
    case 'applyExposeAction':
      return { json: [{ kind: 'grafana' }] };
    case 'undoExposeAction':
      return { json: ['abcdef123456'] };
    case 'logout':
      return { json: [] };
    case 'changeInstance':
      return { json: [{ instance: 'ops', action: 'stop', delayMinutes: 0 }] };
    case 'launchOrSave':
      return { form: { intent: 'launch', name: 'forged', image: '24.04', cpus: '1', memory: '1G', disk: '5G', cloudInit: '' } };
    case 'deleteTemplate':
      return { json: ['Plain Ubuntu'] };
    default:
      throw new Error(`no arguments for the server action ${name}: add them here`);
  }
}

/** A call of Next's action endpoint as React's client makes it: a form as multipart, else JSON. */
function callAction(request: APIRequestContext, action: ServerAction, args: Args, headers: Record<string, string>): Promise<APIResponse> {
  if ('json' in args) {
    const json = actionRequest(action, args.json, headers);
    return request.post(json.path, { headers: json.headers, data: json.body, maxRedirects: 0 });
  }
  const form = formActionRequest(action, args.form, headers);
  return request.post(form.path, { headers: form.headers, multipart: form.body, maxRedirects: 0 });
}

/** What the forged calls must leave as it was: the host's forwards and the cluster's labels, services and pins. */
async function world(hostApi: HostApi, lab: Lab): Promise<string> {
  const forwards = (await (await hostApi.get('/api/host/forwards')).json()) as { id: string; name: string }[];
  return JSON.stringify({
    forwards: forwards.map((f) => `${f.id} ${f.name}`).sort(),
    node2: lab.kubectl('get', 'node', 'node2', '-o', 'jsonpath={.metadata.labels}'),
    services: lab.kubectl(
      'get',
      'svc',
      '-A',
      '-o',
      'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.spec.type} {.spec.ports[*].nodePort} {.spec.externalTrafficPolicy}{"\\n"}{end}',
    ),
    pins: lab.kubectl(
      'get',
      'deploy,statefulset',
      '-A',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.spec.template.spec.nodeSelector}{"\\n"}{end}',
    ),
    exposures: await (await hostApi.get('/api/host/journal')).text(),
    instances: lab.control('multipass', 'instances'),
  });
}

test('every server action of the build is found, and each has forged arguments here', () => {
  expect(actions.map((a) => a.name)).toEqual(
    expect.arrayContaining([
      'changeNodeLabel',
      'changeService',
      'pinWorkload',
      'createForward',
      'deleteForward',
      'applyExposeAction',
      'login',
      'logout',
    ]),
  );
  for (const a of actions) expect(() => argumentsFor(a.name, { forwardId: 'x', nodeVersion: '1', password: 'x' })).not.toThrow();
});

test('the calls are made as the browser makes them: with a session and its own Origin, they change what they say', async ({
  bareRequest,
  request,
  hostApi,
  lab,
  baseURL,
}) => {
  const session = { cookie: `${SESSION_COOKIE}=${await apiLogin(request)}`, origin: baseURL! };
  const byName = (name: string) => actions.find((a) => a.name === name)!;
  const nodeVersion = lab.kubectl('get', 'node', 'node2', '-o', 'jsonpath={.metadata.resourceVersion}');
  try {
    const label = await callAction(
      bareRequest,
      byName('changeNodeLabel'),
      argumentsFor('changeNodeLabel', { forwardId: '', nodeVersion, password: '' }),
      session,
    );
    expect(label.status(), await label.text()).toBe(200);
    expect(lab.kubectl('get', 'node', 'node2', '-o', 'jsonpath={.metadata.labels.forged}')).toBe('yes');
    const created = await callAction(
      bareRequest,
      byName('createForward'),
      argumentsFor('createForward', { forwardId: '', nodeVersion, password: '' }),
      session,
    );
    expect(await created.text()).toContain('"name":"Forged"');
    const forwards = (await (await hostApi.get('/api/host/forwards')).json()) as { id: string; name: string }[];
    const forged = forwards.find((f) => f.name === 'Forged')!;
    const deleted = await callAction(bareRequest, byName('deleteForward'), { json: [forged.id] }, session);
    expect(deleted.status()).toBe(200);
    expect(((await (await hostApi.get('/api/host/forwards')).json()) as { name: string }[]).map((f) => f.name)).not.toContain('Forged');
  } finally {
    lab.kubectl('label', 'node', 'node2', 'forged-');
  }
});

test('forged calls of every server action: without a session, with an expired one, from another site, without an Origin — refused, nothing changed', async ({
  bareRequest,
  request,
  hostApi,
  lab,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const BASE = baseURL!;
  const made = await hostApi.post('/api/host/forwards', {
    data: { name: 'Kept', listenPort: 8082, target: { kind: 'instance', name: 'ops', port: 8080 } },
  });
  expect(made.status()).toBe(201);
  const ctx = {
    forwardId: ((await made.json()) as { id: string }).id,
    nodeVersion: lab.kubectl('get', 'node', 'node2', '-o', 'jsonpath={.metadata.resourceVersion}'),
    password: process.env.LABGATE_E2E_PASSWORD!,
  };
  try {
    const before = await world(hostApi, lab);
    const live = `${SESSION_COOKIE}=${await apiLogin(request)}`;
    const attacks: { name: string; headers: Record<string, string>; refusal: string | null }[] = [
      { name: 'no session', headers: { origin: BASE }, refusal: 'Your session has ended' },
      {
        name: 'an expired session',
        headers: { origin: BASE, cookie: `${SESSION_COOKIE}=${plantExpiredSession()}` },
        refusal: 'Your session has ended',
      },
      { name: 'another site', headers: { origin: 'https://evil.example', cookie: live, 'sec-fetch-site': 'cross-site' }, refusal: null },
      { name: 'no Origin', headers: { cookie: live }, refusal: 'has no Origin header' },
    ];
    for (const action of actions) {
      for (const attack of attacks) {
        if (PUBLIC.has(action.name) && attack.refusal === 'Your session has ended') continue; // they need no session
        const res = await callAction(bareRequest, action, argumentsFor(action.name, ctx), attack.headers);
        const body = await res.text();
        const what = `${action.name} with ${attack.name}: ${res.status()} ${body.slice(0, 300)}`;
        expect(res.headers()['set-cookie'] ?? '', what).not.toContain(`${SESSION_COOKIE}=`); // no session opened, none cleared
        // Refused by the proxy (no cookie at all: to the login page), by Next (another site's Origin:
        // not 200), or by labgate in its words; logout answers nothing either way (checked below).
        const toLogin = res.status() === 307 && (res.headers()['location'] ?? '').startsWith('/login');
        if (attack.name === 'another site') expect(res.status(), what).not.toBe(200);
        else if (!toLogin && action.name !== 'logout') expect(body, what).toContain(attack.refusal);
      }
    }
    expect(await world(hostApi, lab)).toBe(before);
    // logout from another site, or without Origin, ended nothing: the session still opens a page.
    expect((await bareRequest.get('/', { headers: { cookie: live }, maxRedirects: 0 })).status()).toBe(200);
  } finally {
    await hostApi.delete(`/api/host/forwards/${ctx.forwardId}`);
  }
});
