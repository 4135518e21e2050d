import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { CHROMIUM_ARGS } from '../lab/browser.mts';
import { curlNamedFromLan, resolveFromLan } from '../lab/mdns-client.mts';
import { ADMIN_PASSWORD, expect, SESSION_COOKIE, test } from './fixtures/app';
import { shot } from './fixtures/docs-images';
import { ExposeDialog } from './pages/expose';
import { LoginPage } from './pages/login';
import { Shell } from './pages/shell';
import { TablePage } from './pages/tables';

// "Sign in with labgate" in front of an HTTPS exposure, as a person on the LAN meets it: Caddy asks
// the dashboard about each request; a signed-out browser goes to labgate's login and comes back;
// the service behind it (a responder that echoes what it receives) never sees labgate's cookies
// or tokens; logout closes it again.
const NAME = 'echo.local';
const PORT = 9097;
const E2E_CA = path.join(process.env.LABGATE_E2E_DATA_DIR!, 'tls', 'ca.crt');
const EXPOSURE_COOKIE = '__Host-labgate_exposure';
const FORWARD = `ops:${PORT}`; // the forward Expose opens, named after what it exposes

type Echo = { method: string; url: string; headers: Record<string, string> };

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });

/**
 * A second browser on the LAN laptop whose resolver maps the exposure's name to the address the
 * LAN's mDNS gives it (Chromium here has no mDNS of its own; avahi answers, as for a person).
 */
async function lanBrowser(address: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.LABGATE_LAB_CHROMIUM,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${NAME} ${address}`],
    env: { ...process.env, HOME: process.env.LABGATE_E2E_BROWSER_HOME! },
  });
}

const echoed = async (context: BrowserContext, url: string): Promise<Echo> => {
  const page = context.pages()[0]!;
  await page.goto(url);
  return JSON.parse((await page.locator('body').textContent()) ?? '') as Echo;
};

test('an HTTPS exposure behind "Sign in with labgate": login and back, one sign-in for the session, labgate’s cookies never reach the service, logout closes it', async ({
  page,
  lab,
  baseURL,
  loggedIn: _,
}, testInfo) => {
  test.setTimeout(120_000);
  const stop = await lab.backend(PORT, 'echo');
  const expose = new ExposeDialog(page);
  let browser: Browser | null = null;
  try {
    const t = new TablePage(page);
    await page.goto('/instances');
    await t.row('Instances', 'ops').getByLabel('Port to expose on ops').fill(String(PORT));
    await t.row('Instances', 'ops').getByRole('button', { name: 'Expose port' }).click();
    await expose.name('echo');
    await expose.https().check();
    await expose
      .dialog()
      .getByLabel(/Sign in with labgate/)
      .check();
    await expect(expose.plan()).toContainText(
      `serve https://${NAME}/ with a certificate from labgate's CA; let in only people signed in to labgate`,
    );
    await page.screenshot({ path: shot('expose-sign-in.png', testInfo) });
    await expose.apply();
    await expect(expose.url(`https://${NAME}/`)).toBeVisible({ timeout: 20_000 }); // the host's own check needs no sign-in

    await expect.poll(() => resolveFromLan(NAME), { timeout: 10_000 }).not.toBeNull();
    const address = (await resolveFromLan(NAME))!;

    // Without a browser: a page load is sent to the dashboard to sign in; anything else is refused.
    const curl = await curlNamedFromLan(`https://${NAME}/x`, ['--cacert', E2E_CA, '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}']);
    expect(curl.body).toBe(`302 ${baseURL}/open?name=echo.local&next=%2Fx`);
    const post = await curlNamedFromLan(`https://${NAME}/x`, ['--cacert', E2E_CA, '-X', 'POST', '-w', ' %{http_code}']);
    expect(post.body).toBe('echo.local needs a sign-in to labgate: open it in the browser first.\n 401');
    const forged = await curlNamedFromLan(`https://${NAME}/.labgate/sign-in?token=${'a'.repeat(43)}`, [
      '--cacert',
      E2E_CA,
      '-w',
      ' %{http_code}',
    ]);
    expect(forged.body).toContain('This sign-in link was used already or is too old');
    expect(forged.body).toMatch(/ 403$/);

    browser = await lanBrowser(address);
    const person = await browser.newContext({ baseURL });
    const tab = await person.newPage();
    await tab.goto(`https://${NAME}/d/home?from=now-1h`);
    await expect(tab).toHaveURL(/\/login\?next=/); // signed out: labgate's login
    await expect(tab.getByText(`Sign in with labgate to open ${NAME}.`)).toBeVisible();
    await tab.screenshot({ path: shot('sign-in-redirect.png', testInfo) });
    await new LoginPage(tab).login(ADMIN_PASSWORD);
    await expect(tab).toHaveURL(`https://${NAME}/d/home?from=now-1h`); // and back where it was going
    const first = JSON.parse((await tab.locator('body').textContent()) ?? '') as Echo;
    expect(first.url).toBe('/d/home?from=now-1h');
    expect(first.headers.cookie).toBeUndefined(); // labgate's cookie was its only one: no Cookie header at all

    // The service's own cookies pass; labgate's never do, nor its token.
    await person.addCookies([{ name: 'app_session', value: 'kept', url: `https://${NAME}/`, secure: true }]);
    const second = await echoed(person, `https://${NAME}/api?x=1`);
    expect(second.headers.cookie).toBe('app_session=kept');
    const seen = JSON.stringify(second);
    const cookies = await person.cookies();
    for (const c of cookies.filter((c) => c.name.includes('labgate'))) expect(seen).not.toContain(c.value);
    expect(seen).not.toMatch(/labgate_|token=/);
    expect(cookies.find((c) => c.name === EXPOSURE_COOKIE)).toMatchObject({ domain: NAME, secure: true, httpOnly: true });
    expect(cookies.find((c) => c.name === SESSION_COOKIE)?.domain).not.toBe(NAME); // the dashboard's stays the dashboard's

    // A WebSocket opens through the gate too (Grafana's live updates use one).
    const socket = await tab.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      `wss://${NAME}/api/live/ws`,
    );
    expect(socket).toBe('open');

    // Signed in once: the name's cookie gone, the next visit comes back without a password.
    await person.clearCookies({ name: EXPOSURE_COOKIE });
    expect((await echoed(person, `https://${NAME}/again`)).url).toBe('/again');

    // Who opened what, once per session.
    const audit = (await (await page.request.get('/api/state/audit?limit=50')).json()) as {
      action: string;
      subject: string;
      detail: string;
    }[];
    expect(audit.filter((e) => e.action === 'open' && e.subject === NAME)).toHaveLength(1);

    // Logout at the dashboard ends the name's cookie too.
    await tab.goto('/');
    await new Shell(tab).logout();
    await expect(tab).toHaveURL(/\/login/);
    await tab.goto(`https://${NAME}/after`);
    await expect(tab).toHaveURL(/\/login\?next=/);
    // Off from the Forwards form: the name answers without a sign-in; on again: the login first.
    const forwards = await page.context().newPage();
    await forwards.goto('/forwards');
    const row = new TablePage(forwards).row('Forwards', FORWARD);
    await expect(row).toContainText('after signing in with labgate');
    const edit = async (signIn: boolean) => {
      await row.getByRole('button', { name: `Edit forward ${FORWARD}` }).click();
      const form = forwards.getByRole('form', { name: `Edit forward ${FORWARD}` });
      await expect(form.getByLabel('Sign in with labgate')).toBeChecked({ checked: !signIn });
      await form.getByLabel('Sign in with labgate').setChecked(signIn);
      await form.getByRole('button', { name: 'Save forward' }).click();
      await expect(form).toHaveCount(0);
    };
    const status = async () =>
      (await curlNamedFromLan(`https://${NAME}/free`, ['--cacert', E2E_CA, '-o', '/dev/null', '-w', '%{http_code}'])).body;
    await edit(false);
    await expect(row).not.toContainText('after signing in with labgate');
    expect(await status()).toBe('200');
    await edit(true);
    await expect(row).toContainText('after signing in with labgate');
    expect(await status()).toBe('302');
    await forwards.close();

    // Undo takes the name, its certificate and its sign-in off the LAN.
    await expose.dialog().getByRole('button', { name: 'Undo' }).click();
    await expect(expose.dialog()).toContainText('Undone');
  } finally {
    await browser?.close();
    await stop();
  }
});
