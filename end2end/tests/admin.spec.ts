import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { newUser, Portal } from './fixtures/portal';

/** `gatehouse admin grant NAME` against the main portal's database, as an operator runs it. */
function grantAdmin(username: string) {
  const output = execFileSync('../target/debug/gatehouse', ['admin', 'grant', username], {
    env: {
      ...process.env,
      GATEHOUSE_CONFIG: '../Leptos.toml',
      GATEHOUSE_DATABASE_URL: 'sqlite://.e2e/main/gatehouse.db',
      GATEHOUSE_SECRET_KEY_FILE: '.e2e/main/secret.key',
      RUST_LOG: 'warn',
    },
  }).toString();
  expect(output).toContain(`${username} is an admin now`);
}

/** Turns two-factor on from the security page; returns the app's code generator. */
async function enrol(portal: Portal, page: Page) {
  await portal.open('/account/security');
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const secret = await page.getByTestId('totp-secret').innerText();
  const totp = new TOTP({ secret: Secret.fromBase32(secret.replace(/\s/g, '')), digits: 6, period: 30 });
  if (portal.javaScript) await page.locator('main[data-hydrated="true"]').waitFor();
  await page.getByLabel('Code from the app').fill(totp.generate());
  await page.getByRole('button', { name: 'Turn two-factor on' }).click();
  await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
  await expect(page.getByText('10 recovery codes are left.')).toBeVisible();
}

async function expectNoViolations(portal: Portal, where: string) {
  if (!portal.javaScript) return;
  expect(await portal.accessibilityViolations(), where).toEqual([]);
}

/** Confirms `action` on the account page that is open. */
async function confirm(page: Page, action: string) {
  await page.getByRole('link', { name: action }).click();
  await expect(page.getByRole('heading', { name: `${action}?` })).toBeVisible();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText(`Done: ${action}.`)).toBeVisible();
}

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: javaScript });

    test('admin: granted on the command line, finds a user, disables and enables it; a user is refused', async ({ page, browser, request }, testInfo) => {
      test.setTimeout(120_000);
      const portal = new Portal(page, javaScript);
      const admin = newUser(javaScript ? 'adj' : 'adn');
      const member = newUser(javaScript ? 'mej' : 'men');

      // The member, signed in elsewhere, cannot open the console.
      const memberContext = await browser.newContext({ javaScriptEnabled: javaScript });
      const memberPortal = new Portal(await memberContext.newPage(), javaScript);
      await memberPortal.registerVerified(request, member);
      await memberPortal.signIn(member.username);
      await expect(memberPortal.page).toHaveURL(/\/dashboard$/);
      const refused = await memberPortal.page.goto('/admin');
      expect(refused?.status()).toBe(403);
      await expect(memberPortal.page.getByText('This page is for administrators.')).toBeVisible();

      await portal.registerVerified(request, admin);
      await portal.signIn(admin.username);
      await expect(page).toHaveURL(/\/dashboard$/);
      await enrol(portal, page);
      grantAdmin(admin.username);

      await portal.open('/admin');
      await expect(page.getByRole('heading', { name: 'Admin console' })).toBeVisible();
      await expectNoViolations(portal, 'overview');
      await portal.screenshot(testInfo, 'admin-overview');
      await portal.screenshot(testInfo, 'admin-overview', 1280);

      await portal.open('/admin/users');
      await page.getByLabel('Username or email starts with').fill(member.username.slice(0, 8).toUpperCase());
      await page.getByRole('button', { name: 'Search' }).click();
      await expect(page).toHaveURL(/search=/);
      await expect(page.getByTestId('user')).toHaveCount(1);
      await expectNoViolations(portal, 'users');
      await portal.screenshot(testInfo, 'admin-users');
      await portal.screenshot(testInfo, 'admin-users', 1280);
      await page.getByRole('link', { name: member.username }).click();
      await expect(page.getByRole('heading', { name: member.username })).toBeVisible();
      if (javaScript) await page.locator('main[data-hydrated="true"]').waitFor();

      await confirm(page, 'Disable the account');
      await expect(page.getByTestId('state')).toHaveText('Disabled');
      await expectNoViolations(portal, 'user page');
      await portal.screenshot(testInfo, 'admin-user');
      await portal.screenshot(testInfo, 'admin-user', 1280);
      // The member's open session ended at once.
      await memberPortal.page.goto('/dashboard');
      await expect(memberPortal.page).toHaveURL(/\/login\?next=\/dashboard$/);

      await confirm(page, 'Enable the account');
      await expect(page.getByTestId('state')).toHaveText('Active');
      await expect(page.getByText('Account disabled by an administrator')).toBeVisible();
      await memberPortal.open('/login');
      await memberPortal.signIn(member.username);
      await expect(memberPortal.page).toHaveURL(/\/dashboard$/);
      await memberContext.close();
    });
  });
}
