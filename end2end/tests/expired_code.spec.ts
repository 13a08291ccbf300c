import { expect, test } from '@playwright/test';
import { SHORT_CODE_PORTAL } from '../playwright.config';
import { waitForCode } from './fixtures/mailbox';
import { newUser, Portal } from './fixtures/portal';

// This portal's codes live 6 seconds and a new one may be asked for after 3.
test.use({ baseURL: SHORT_CODE_PORTAL });

test('expire_code: at zero the page says so, and a new code works', async ({ page, request }, testInfo) => {
  const portal = new Portal(page);
  const user = newUser('exp');
  await portal.register(user);
  await waitForCode(request, user.email, 1);

  await expect(page.getByTestId('expired')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByLabel('Verification code')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Start again' })).toBeVisible();
  await portal.screenshot(testInfo, 'verify-expired');

  await page.getByRole('button', { name: 'Send a new code' }).click();
  await expect(page.getByText('A new code is on its way.')).toBeVisible();
  const fresh = await waitForCode(request, user.email, 2);
  await expect(portal.countdown()).toBeVisible();
  await portal.enterCode(fresh);
  await expect(page).toHaveURL(/\/login\?verified=1$/);
});
