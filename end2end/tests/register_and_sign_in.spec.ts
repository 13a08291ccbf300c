import { expect, test } from '@playwright/test';
import { waitForCode } from './fixtures/mailbox';
import { newUser, Portal } from './fixtures/portal';

test('register_account: register, verify with the mailed code, sign in, see the dashboard, sign out', async ({ page, request }, testInfo) => {
  const portal = new Portal(page);
  const user = newUser('pw');

  await portal.open('/');
  await portal.screenshot(testInfo, 'home');
  await portal.open('/register');
  await portal.screenshot(testInfo, 'register');
  await portal.register(user);

  await expect(page.getByText('We sent a 6-digit code to')).toBeVisible();
  await expect(page.getByText(/@example\.test/)).toContainText('•••');
  const code = await waitForCode(request, user.email);

  // The countdown is a live signal: it visibly goes down while we watch.
  const before = await portal.secondsLeft();
  expect(before).toBeGreaterThan(280);
  expect(before).toBeLessThanOrEqual(300);
  await expect.poll(() => portal.secondsLeft(), { timeout: 5_000 }).toBeLessThan(before);
  await portal.screenshot(testInfo, 'verify');

  await portal.enterCode(code);
  await expect(page).toHaveURL(/\/login\?verified=1$/);
  await expect(page.getByText('Your email address is verified.')).toBeVisible();
  await portal.screenshot(testInfo, 'login');

  await portal.signIn(user.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: `Hello, ${user.username}` })).toBeVisible();
  await expect(page.getByText(user.email)).toBeVisible();
  await expect(page.getByText('This is your first sign-in.')).toBeVisible();
  await portal.screenshot(testInfo, 'dashboard');

  await portal.signOut();
  // Back must not bring the dashboard back: the page is no-store and the session is gone.
  await page.goBack();
  await expect(page.getByRole('heading', { name: /Hello,/ })).toHaveCount(0);
  await portal.open('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=\/dashboard$/);
});

test('verify_code: a wrong code says how many attempts are left', async ({ page, request }) => {
  const portal = new Portal(page);
  const user = newUser('wrong');
  await portal.register(user);
  const code = await waitForCode(request, user.email);
  await portal.enterCode(code === '000000' ? '111111' : '000000');
  await expect(page.getByText('That code is not correct. 4 attempt(s) left.')).toBeVisible();
  await portal.enterCode(code);
  await expect(page).toHaveURL(/\/login\?verified=1$/);
});

test('sign_in: a wrong password for a real account gets one generic sentence', async ({ page, request }) => {
  const portal = new Portal(page);
  const user = newUser('gen');
  await portal.registerVerified(request, user);
  await portal.signIn(user.username, 'certainly not the password');
  await expect(page.getByRole('alert')).toHaveText('Incorrect username, email or password.');
  await portal.signIn('nobody-here', 'certainly not the password');
  await expect(page.getByRole('alert')).toHaveText('Incorrect username, email or password.');
});
