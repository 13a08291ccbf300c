import { expect, test } from '@playwright/test';
import { FORWARD_AUTH_APP, FORWARD_AUTH_PORTAL } from '../playwright.config';
import { newUser, Portal } from './fixtures/portal';

// nginx answers every *.gatehouse.test name on loopback: the portal and the app it protects.
test.use({
  baseURL: FORWARD_AUTH_PORTAL,
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP *.gatehouse.test 127.0.0.1'],
  },
});

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: javaScript });

    test('forward_auth: the app sends a stranger to sign in, and back to the page asked for', async ({ page, request }) => {
      const portal = new Portal(page, javaScript);
      const user = newUser(javaScript ? 'fa' : 'fanojs');
      await portal.registerVerified(request, user);
      const original = `${FORWARD_AUTH_APP}/wiki/page?id=7&lang=en`;
      await page.goto(original);
      await expect(page).toHaveURL(`${FORWARD_AUTH_PORTAL}/login?rd=${encodeURIComponent(original)}`);
      if (javaScript) await page.locator('main[data-hydrated="true"]').waitFor();
      await portal.signIn(user.username);
      await expect(page).toHaveURL(original);
      await expect(page.getByTestId('user')).toHaveText(user.username);
      // Signed out at the portal: the app asks for a sign-in again.
      await portal.signOutFrom(`${FORWARD_AUTH_PORTAL}/dashboard`);
      await page.goto(original);
      await expect(page).toHaveURL(/\/login\?rd=/);
    });
  });
}
