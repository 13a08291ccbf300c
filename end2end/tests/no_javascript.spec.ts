import { expect, test } from '@playwright/test';
import { waitForCode } from './fixtures/mailbox';
import { newUser, Portal } from './fixtures/portal';

test.use({ javaScriptEnabled: false });

test('register_without_javascript: every form works as a plain HTML post', async ({ page, request }, testInfo) => {
  const portal = new Portal(page, false);
  const user = newUser('nojs');
  await portal.register(user);
  // Server-rendered: the time left is already on the page.
  await expect(portal.countdown()).toHaveText(/^[45]:\d\d$/);
  const code = await waitForCode(request, user.email);

  await portal.enterCode('999999' === code ? '888888' : '999999');
  await expect(page.getByText(/That code is not correct\. 4 attempt\(s\) left\./)).toBeVisible();
  await portal.screenshot(testInfo, 'verify-wrong-code-nojs');
  await portal.enterCode(code);
  await expect(page).toHaveURL(/\/login\?verified=1$/);

  await portal.signIn(user.email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: `Hello, ${user.username}` })).toBeVisible();
  await portal.signOut();
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=\/dashboard$/);
});
