import { expect, test } from '@playwright/test';
import { waitForCode, waitForMail } from './fixtures/mailbox';
import { newUser, PASSWORD, Portal } from './fixtures/portal';

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: javaScript });

    test('change_email then delete_account: a code to the new address, then the account is gone', async ({ page, request }, testInfo) => {
      const portal = new Portal(page, javaScript);
      const user = newUser(javaScript ? 'ajs' : 'ano');
      await portal.registerVerified(request, user);
      await portal.signIn(user.username);
      await expect(page).toHaveURL(/\/dashboard$/);
      await page.getByRole('link', { name: 'Account settings' }).click();
      await expect(page).toHaveURL(/\/account$/);
      if (javaScript) await page.locator('main[data-hydrated="true"]').waitFor();
      await portal.screenshot(testInfo, 'account');
      await page.setViewportSize({ width: 1280, height: 800 });

      const newAddress = `new-${user.email}`;
      await page.getByLabel('New email address').fill(newAddress);
      await page.getByRole('button', { name: 'Send a code' }).click();
      await expect(page).toHaveURL(/\/account\/email\/verify$/);
      const code = await waitForCode(request, newAddress, 1);
      await page.goto('/account/email/verify');
      await expect(page.getByText('n•••')).toBeVisible();
      await portal.screenshot(testInfo, 'account-email-verify');
      await page.setViewportSize({ width: 1280, height: 800 });
      await portal.enterCode(code);
      await expect(page).toHaveURL(/\/account\?email_changed=1$/);
      await expect(page.getByText(newAddress)).toBeVisible();
      await waitForMail(request, user.email, 'was changed to');

      await page.locator('#delete-password').fill(PASSWORD);
      await page.locator('#delete-confirmation').fill(user.username);
      await page.getByRole('button', { name: 'Delete my account' }).click();
      await expect(page).toHaveURL(/\/\?deleted=1$/);
      await expect(page.getByText('Your account is deleted.')).toBeVisible();
      await waitForMail(request, newAddress, 'were deleted');
      await portal.open('/login');
      await portal.signIn(user.username);
      await expect(page.getByText('Incorrect username, email or password.')).toBeVisible();
    });
  });
}
