import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { BINARY, INVITE_ONLY_PORTAL, NEW_TERMS_PORTAL } from '../playwright.config';
import { waitForMail } from './fixtures/mailbox';
import { newUser, Portal, PASSWORD } from './fixtures/portal';

/** `gatehouse invite ADDRESS` against the invitation-only portal's database: the printed link. */
function invite(address: string): string {
  const output = execFileSync(BINARY, ['invite', address], {
    env: {
      ...process.env,
      GATEHOUSE_CONFIG: '../Leptos.toml',
      GATEHOUSE_DATABASE_URL: 'sqlite://.e2e/invite-only/gatehouse.db',
      GATEHOUSE_SECRET_KEY_FILE: '.e2e/invite-only/secret.key',
      LEPTOS_SITE_ADDR: '127.0.0.1:3160',
      RUST_LOG: 'warn',
    },
  }).toString();
  const link = output.trim().split('\n').pop()!;
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3160\/register\?invitation=[0-9a-f]{32}$/);
  return link;
}

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: javaScript, baseURL: INVITE_ONLY_PORTAL });

    test('an invitation-only site: no form without a link; the mailed link registers the address with the terms ticked, once; new terms are accepted before the dashboard', async ({ page, request }, testInfo) => {
      test.setTimeout(90_000);
      const portal = new Portal(page, javaScript);
      const user = newUser(javaScript ? 'invitedj' : 'invitedn');

      await portal.open('/register');
      await expect(page.getByText('Registration here is by invitation only.')).toBeVisible();
      await expect(page.getByLabel('Username')).toHaveCount(0);
      if (javaScript) expect(await portal.accessibilityViolations()).toEqual([]);

      const link = invite(user.email);
      const mail = await waitForMail(request, user.email, 'invited to create an account');
      // The mail's text is quoted-printable: soft line breaks, and `=` written `=3D`. Either
      // instance's worker may send it, each naming its own address (neither has a public one).
      expect(mail.text.replace(/=\r?\n/g, '').replace(/=3D/g, '=')).toContain(new URL(link).search);
      const path = new URL(link).pathname + new URL(link).search;
      await portal.open(path);
      await expect(page.getByLabel('Email address')).toHaveValue(user.email);
      await expect(page.getByLabel('Email address')).toHaveAttribute('readonly', '');
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Repeat the password').fill(PASSWORD);
      const terms = page.getByRole('checkbox', { name: /I accept the/ });
      await expect(page.getByRole('link', { name: 'terms (opens in a new tab)' })).toHaveAttribute('href', 'https://terms.example.test/');
      if (javaScript) {
        expect(await portal.accessibilityViolations()).toEqual([]);
        await portal.screenshot(testInfo, 'register-invited');
        // Unticked, the browser's own check holds the form; the server says the same without it.
        await terms.evaluate((box: HTMLInputElement) => (box.required = false));
        await page.getByRole('button', { name: 'Create account' }).click();
        await expect(page.getByText('Tick the box to accept the terms.')).toBeVisible();
      }
      await terms.check();
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page).toHaveURL(/\/login\?verified=1$/);
      await portal.signIn(user.username);
      await expect(page).toHaveURL(/\/dashboard$/);

      // The link worked once.
      await portal.open(path);
      await expect(page.getByText('This invitation link does not work')).toBeVisible();
      await expect(page.getByLabel('Username')).toHaveCount(0);
      if (javaScript) expect(await portal.accessibilityViolations()).toEqual([]);

      // The second instance's terms are version 2: the dashboard waits for them.
      await page.goto(`${NEW_TERMS_PORTAL}/login`);
      if (javaScript) await page.locator('main[data-hydrated="true"]').waitFor();
      await portal.signIn(user.username);
      await expect(page).toHaveURL(`${NEW_TERMS_PORTAL}/terms?next=%2Fdashboard`);
      await expect(page.getByText('version 2')).toBeVisible();
      if (javaScript) {
        await page.locator('main[data-hydrated="true"]').waitFor();
        expect(await portal.accessibilityViolations()).toEqual([]);
        await portal.screenshot(testInfo, 'terms');
      }
      await page.getByRole('checkbox', { name: /I accept the/ }).check();
      await page.getByRole('button', { name: 'Accept and continue' }).click();
      await expect(page).toHaveURL(`${NEW_TERMS_PORTAL}/dashboard`);
    });
  });
}
