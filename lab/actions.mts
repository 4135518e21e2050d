// The build's server actions, from Next's own manifest: tests call them as a browser (or a forger) would.
import fs from 'node:fs';
import path from 'node:path';

export interface ServerAction {
  id: string; // what Next's action endpoint is called with (the Next-Action header)
  name: string; // its export, e.g. createForward
  file: string; // app/actions/forwards.ts
  page: string; // a page that serves it, e.g. /forwards
}

/** app/(dashboard)/forwards/page → /forwards */
const urlForPage = (worker: string) =>
  `/${worker
    .replace(/^app\//, '')
    .replace(/(^|\/)page$/, '')
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .join('/')}`;

/** Every server action of the build in `root`: a new action is covered without editing a test. */
export function discoverServerActions(root: string): ServerAction[] {
  const file = path.join(root, '.next', 'server', 'server-reference-manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node)
    .map(([id, a]) => ({ id, name: a.exportedName, file: a.filename, page: urlForPage(Object.keys(a.workers)[0]!) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The request a browser's React client sends for an action called with JSON arguments. */
export function actionRequest(action: ServerAction, args: unknown[], headers: Record<string, string>) {
  return {
    path: action.page,
    method: 'POST',
    headers: { 'next-action': action.id, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8', ...headers },
    body: JSON.stringify(args),
  };
}

/** The request a browser's React client sends for a form action (previous state, then the form): its fields, then the root. */
export function formActionRequest(action: ServerAction, fields: Record<string, string>, headers: Record<string, string>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(`_1_${k}`, v);
  body.append('0', JSON.stringify([null, '$K1'])); // last: the server resolves "$K1" when the root arrives
  return { path: action.page, method: 'POST', headers: { 'next-action': action.id, accept: 'text/x-component', ...headers }, body };
}
