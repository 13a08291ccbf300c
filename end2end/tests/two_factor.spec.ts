import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { waitForMail } from './fixtures/mailbox';
import { newUser, PASSWORD, Portal } from './fixtures/portal';

/** The authenticator app: codes from the secret the security page shows, at the phone's clock. */
function authenticator(shownSecret: string) {
  const totp = new TOTP({ secret: Secret.fromBase32(shownSecret.replace(/\s/g, '')), digits: 6, period: 30 });
  return (offsetSeconds = 0) => totp.generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

/** axe-core runs inside the page, so only where JavaScript runs; the HTML is the same without. */
async function expectNoViolations(portal: Portal, where: string) {
  if (!portal.javaScript) return;
  expect(await portal.accessibilityViolations(), where).toEqual([]);
}

async function secondStep(page: Page, code: string) {
  await expect(page).toHaveURL(/\/login\/verify\?next=/);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: javaScript });

    test('two_factor: enrol, sign in with an app code, then with a recovery code, then turn it off', async ({ page, request }, testInfo) => {
      test.setTimeout(120_000);
      const portal = new Portal(page, javaScript);
      const user = newUser(javaScript ? 'tfj' : 'tfn');
      await portal.registerVerified(request, user);
      await portal.signIn(user.username);
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByRole('link', { name: 'Turn on two-factor sign-in' })).toBeVisible();

      // Enrolment: a QR code and the secret in groups of four; the app's first code turns it on.
      await portal.open('/account/security');
      await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      const secret = page.getByTestId('totp-secret');
      await expect(secret).toBeVisible();
      await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
      if (javaScript) await page.locator('main[data-hydrated="true"]').waitFor();
      await expectNoViolations(portal, 'enrolment');
      await portal.screenshot(testInfo, 'security-enrol');
      await page.setViewportSize({ width: 1280, height: 800 });
      const code = authenticator(await secret.innerText());
      await page.getByLabel('Code from the app').fill('000000' === code() ? '111111' : '000000');
      await page.getByRole('button', { name: 'Turn two-factor on' }).click();
      await expect(page.getByText('That code is not right')).toBeVisible();
      await page.getByLabel('Code from the app').fill(code());
      await page.getByRole('button', { name: 'Turn two-factor on' }).click();

      // The recovery codes, shown once, to copy or download.
      const list = page.getByTestId('recovery-codes').locator('code');
      await expect(list).toHaveCount(10);
      const recoveryCodes = await list.allInnerTexts();
      expect(new Set(recoveryCodes).size).toBe(10);
      if (javaScript) {
        await page.locator('main[data-hydrated="true"]').waitFor();
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
        await page.getByRole('button', { name: 'Copy the codes' }).click();
        await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(recoveryCodes.join('\n'));
      } else {
        await expect(page.getByRole('button', { name: 'Copy the codes' })).toHaveCount(0);
      }
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Download the codes' }).click();
      const file = await (await download).path();
      const text = (await import('node:fs')).readFileSync(file, 'utf8');
      for (const recoveryCode of recoveryCodes) expect(text).toContain(recoveryCode);
      await expectNoViolations(portal, 'recovery codes');
      await portal.screenshot(testInfo, 'security-recovery-codes');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
      await expect(page.getByText('10 recovery codes are left.')).toBeVisible();
      await expectNoViolations(portal, 'two-factor on');
      await waitForMail(request, user.email, 'two-factor sign-in was turned on');

      // Sign out, sign in: password, then the app's code (the next step's: this one was used).
      await portal.signOutFrom('/dashboard');
      await portal.signIn(user.username);
      await expect(page.getByRole('heading', { name: 'One more step' })).toBeVisible();
      if (javaScript) await page.locator('main[data-hydrated="true"]').waitFor();
      await expectNoViolations(portal, 'second step');
      await portal.screenshot(testInfo, 'login-verify');
      await page.setViewportSize({ width: 1280, height: 800 });
      await secondStep(page, code(30));
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByText('On', { exact: true })).toBeVisible();

      // Phone lost: a recovery code instead, which then stops working.
      await portal.signOut();
      await portal.signIn(user.username);
      await secondStep(page, recoveryCodes[0].toLowerCase());
      await expect(page).toHaveURL(/\/dashboard\?recovery_codes_left=9$/);
      await expect(page.getByText('You signed in with a recovery code')).toBeVisible();
      await waitForMail(request, user.email, 'recovery codes was just used');

      // Turning it off: the password and a code (here, another recovery code).
      await portal.open('/account/security');
      await page.locator('#disable-password').fill(PASSWORD);
      await page.locator('#disable-code').fill(recoveryCodes[1]);
      await page.getByRole('button', { name: 'Turn two-factor off' }).click();
      await expect(page).toHaveURL(/\/account\/security\?turned_off=1$/);
      await expect(page.getByText('Two-factor sign-in is off. We mailed you a notice.')).toBeVisible();
      await waitForMail(request, user.email, 'two-factor sign-in was turned off');
      await portal.signOutFrom('/dashboard');
      await portal.signIn(user.username);
      await expect(page).toHaveURL(/\/dashboard$/);
    });
  });
}
