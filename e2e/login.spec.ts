import { ADMIN_PASSWORD, expect, SESSION_COOKIE, test } from './fixtures/app';

test('log in, use the shell, log out, and the old cookie is dead', async ({ page, loginPage, shell, request }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(loginPage.heading()).toBeVisible();

  await loginPage.login('not the password');
  await expect(page.getByText('Wrong password.')).toBeVisible();
  await expect(loginPage.password()).toHaveAttribute('aria-invalid', 'true');

  await loginPage.login(ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/$/);
  await expect(shell.heading()).toHaveText('Overview');
  for (const label of ['Overview', 'Instances', 'Nodes', 'Services', 'Forwards', 'Activity']) {
    await expect(shell.navLink(label)).toBeVisible();
  }
  await expect(shell.navLink('Overview')).toHaveAttribute('aria-current', 'page');

  const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');

  await shell.logout();
  await expect(page).toHaveURL(/\/login$/);

  // The server forgot the session: replaying the old cookie gets nothing.
  const replay = await request.get('/', { headers: { cookie: `${SESSION_COOKIE}=${cookie!.value}` }, maxRedirects: 0 });
  expect(replay.status()).toBe(307);
  expect(replay.headers().location).toBe('/login');
  const api = await request.post('/api/auth/logout', { headers: { cookie: `${SESSION_COOKIE}=${cookie!.value}` } });
  expect(api.status()).toBe(401);
});

test('every area is reachable from the navigation', async ({ loginPage, shell }) => {
  await loginPage.goto();
  await loginPage.login(ADMIN_PASSWORD);
  await expect(shell.heading()).toHaveText('Overview');
  for (const label of ['Instances', 'Nodes', 'Services', 'Forwards', 'Activity', 'Overview']) {
    await shell.navLink(label).click();
    await expect(shell.heading()).toHaveText(label);
    await expect(shell.navLink(label)).toHaveAttribute('aria-current', 'page');
  }
});

test('a deep link survives the login', async ({ page, loginPage, shell }) => {
  await page.goto('/forwards');
  await expect(page).toHaveURL(/\/login\?next=%2Fforwards$/);
  await loginPage.login(ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/forwards$/);
  await expect(shell.heading()).toHaveText('Forwards');
});

test('an empty password is refused with a message', async ({ page, loginPage }) => {
  await loginPage.goto();
  await loginPage.submit().click();
  await expect(page.getByText('Enter the password.')).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});
