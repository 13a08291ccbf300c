import { expect, test } from '@playwright/test';
import { waitForCode, waitForMail } from './fixtures/mailbox';
import { newUser, PASSWORD, Portal } from './fixtures/portal';

const NEW_PASSWORD = 'lantern-quarry-violet-9';

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: javaScript });

    test('recover_password: a forgotten password is reset with the mailed code, then the new one signs in', async ({ page, request }, testInfo) => {
      const portal = new Portal(page, javaScript);
      const user = newUser(javaScript ? 'rjs' : 'rno');
      await portal.registerVerified(request, user);

      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await expect(page).toHaveURL(/\/recover$/);
      if (javaScript) await page.locator('main[data-hydrated="true"]').waitFor();
      await portal.screenshot(testInfo, 'recover');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByLabel('Username or email').fill(user.email);
      await page.getByRole('button', { name: 'Send a code' }).click();
      await expect(page).toHaveURL(/\/recover\/verify$/);
      const code = await waitForCode(request, user.email, 2);
      await page.goto('/recover/verify');
      await expect(page.getByText(/@example\.test/)).toContainText('•••');
      await expect(portal.countdown()).toHaveText(/^(10:00|9:\d\d)$/);
      await portal.screenshot(testInfo, 'recover-verify');
      await page.setViewportSize({ width: 1280, height: 800 });
      await portal.enterCode(code);
      await expect(page).toHaveURL(/\/recover\/password$/);
      await portal.screenshot(testInfo, 'recover-password');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await expect(page).toHaveURL(/\/login\?reset=1$/);
      await expect(page.getByText('Your password is changed')).toBeVisible();
      await waitForMail(request, user.email, 'was just changed');

      await portal.signIn(user.username, PASSWORD);
      await expect(page.getByText('Incorrect username, email or password.')).toBeVisible();
      await portal.signIn(user.username, NEW_PASSWORD);
      await expect(page).toHaveURL(/\/dashboard$/);
    });
  });
}
