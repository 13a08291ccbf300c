import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { OIDC_APP, OIDC_PORTAL } from '../playwright.config';
import { newUser, Portal } from './fixtures/portal';

// "Sign in with Gatehouse": an unmodified relying party (npm's openid-client, support/oidc-app.mjs)
// signs its users in through the portal's real pages, consent included.
test.use({ baseURL: OIDC_PORTAL });

/** axe-core runs inside the page, so only where JavaScript runs; the HTML is the same without. */
async function expectNoViolations(portal: Portal, where: string) {
  if (!portal.javaScript) return;
  for (const width of [360, 1280]) {
    await portal.page.setViewportSize({ width, height: 800 });
    expect(await portal.accessibilityViolations(), `${where} at ${width} px`).toEqual([]);
  }
}

async function startAtTheApp(page: Page) {
  await page.goto(OIDC_APP);
  await page.getByRole('link', { name: 'Sign in with Gatehouse' }).click();
  await expect(page).toHaveURL(`${OIDC_PORTAL}/login?rd=%2Foidc%2Fresume`);
}

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: javaScript });

    test('oidc: a user signs in to an app, allows it once, and signs out from it', async ({ page, request }) => {
      const portal = new Portal(page, javaScript);
      const user = newUser(javaScript ? 'rp' : 'rpnojs');
      await portal.registerVerified(request, user);
      await startAtTheApp(page);
      if (javaScript) await page.locator('main[data-hydrated="true"]').waitFor();
      await portal.signIn(user.username);

      await expect(page).toHaveURL(`${OIDC_PORTAL}/oidc/consent`);
      await expect(page.getByRole('heading', { name: 'Allow The relying app to sign you in?' })).toBeVisible();
      await expect(page.getByText(`your email address, ${user.email}`)).toBeVisible();
      await expectNoViolations(portal, 'consent');
      // The continue page moves on by itself at once; the app's answer is held back (204: the
      // browser stays) while the page is checked.
      await page.route(`${OIDC_APP}/callback**`, (route) => route.fulfill({ status: 204 }));
      await page.getByRole('button', { name: 'Allow' }).click();
      await expect(page).toHaveURL(`${OIDC_PORTAL}/oidc/continue`);
      await expect(page.getByRole('heading', { name: 'Returning you to The relying app' })).toBeVisible();
      await expectNoViolations(portal, 'continue');
      const onward = page.getByRole('link', { name: 'Continue to The relying app' });
      expect(await onward.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:3141\/callback\?code=/);
      await page.unroute(`${OIDC_APP}/callback**`);
      await onward.click();
      await expect(page.getByTestId('user')).toHaveText(user.username);
      await expect(page.getByTestId('email')).toHaveText(user.email);
      await expect(page.getByTestId('amr')).toHaveText('pwd');

      // Asked once: the next sign-in at the app goes straight back.
      await page.context().clearCookies({ domain: '127.0.0.1', name: 'rp' });
      await page.goto(`${OIDC_APP}/login`);
      await expect(page.getByTestId('user')).toHaveText(user.username);

      // Signing out at the app ends the portal's sign-in too, and returns to the app.
      await page.getByRole('link', { name: 'Sign out' }).click();
      await expect(page.getByTestId('signed-out')).toBeVisible();
      await page.goto(`${OIDC_PORTAL}/dashboard`);
      await expect(page).toHaveURL(/\/login\?next=\/dashboard$/);
    });
  });
}

test('oidc: a user with two-factor passes the second step, and the app is told so', async ({ page, request }) => {
  const portal = new Portal(page, false);
  const user = newUser('rptf');
  await portal.registerVerified(request, user);
  await portal.signIn(user.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await portal.open('/account/security');
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const secret = await page.getByTestId('totp-secret').innerText();
  const totp = new TOTP({ secret: Secret.fromBase32(secret.replace(/\s/g, '')), digits: 6, period: 30 });
  await page.getByLabel('Code from the app').fill(totp.generate());
  await page.getByRole('button', { name: 'Turn two-factor on' }).click();
  await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
  await portal.signOutFrom('/dashboard');

  await startAtTheApp(page);
  await portal.signIn(user.username);
  await expect(page).toHaveURL(/\/login\/verify\?next=/);
  // The enrolment's code was used in this step: the next one, 30 s on, is accepted.
  await page.getByLabel('Code', { exact: true }).fill(totp.generate({ timestamp: Date.now() + 30_000 }));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${OIDC_PORTAL}/oidc/consent`);
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByTestId('amr')).toHaveText('pwd otp mfa');
});
