import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { BINARY, LOCKING_PORTAL } from '../playwright.config';
import { waitForMail } from './fixtures/mailbox';
import { newUser, Portal } from './fixtures/portal';

/** `gatehouse admin grant NAME` against a portal's database, as an operator runs it. */
function grantAdmin(username: string, portalName = 'main') {
  const output = execFileSync(BINARY, ['admin', 'grant', username], {
    env: {
      ...process.env,
      GATEHOUSE_CONFIG: '../Leptos.toml',
      GATEHOUSE_DATABASE_URL: `sqlite://.e2e/${portalName}/gatehouse.db`,
      GATEHOUSE_SECRET_KEY_FILE: `.e2e/${portalName}/secret.key`,
      RUST_LOG: 'warn',
    },
  }).toString();
  expect(output).toContain(`${username} is an admin now`);
}

/** Turns two-factor on from the security page; returns the app's code generator (at an offset in seconds). */
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
  return (offsetSeconds = 0) => totp.generate({ timestamp: Date.now() + offsetSeconds * 1000 });
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

    test('admin: granted on the command line, signs in with two-factor, finds a user, exports, disables and enables it, reads both logs; a user is refused', async ({ page, browser, request }, testInfo) => {
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
      const code = await enrol(portal, page);
      grantAdmin(admin.username);

      // The admin signs in again: password, then the app's code (the next step's; this one was used).
      await portal.signOutFrom('/dashboard');
      await portal.signIn(admin.username);
      await expect(page).toHaveURL(/\/login\/verify\?next=/);
      await page.getByLabel('Code', { exact: true }).fill(code(30));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/dashboard$/);

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
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Download these accounts as CSV' }).click();
      const csv = (await import('node:fs')).readFileSync(await (await download).path(), 'utf8');
      expect(csv.split('\n')[0]).toBe('user_id,username,email,state,admin,two_factor,created_at,last_login_at');
      expect(csv).toContain(`,${member.username},${member.email},Active,false,false,`);
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

      // The security log names the admin; the code log shows the member's code, never the code.
      await portal.open(`/admin/events?actor=${admin.username}`);
      await expect(page.getByTestId('event')).toHaveCount(2);
      await expectNoViolations(portal, 'security log');
      await portal.screenshot(testInfo, 'admin-events');
      await portal.screenshot(testInfo, 'admin-events', 1280);
      await portal.open(`/admin/codes?account=${member.username}`);
      await expect(page.getByTestId('code')).toHaveCount(1);
      await expect(page.getByTestId('code').getByText('Verified', { exact: true })).toBeVisible();
      await expectNoViolations(portal, 'code log');
      await portal.screenshot(testInfo, 'admin-codes');
      await portal.screenshot(testInfo, 'admin-codes', 1280);

      // A group, made in the console, with the member added on its page.
      const group = javaScript ? 'staff-js' : 'staff-nojs';
      await portal.open('/admin/groups');
      await page.getByLabel('Name', { exact: true }).fill(group);
      await page.getByLabel('Description (optional)').fill('The staff');
      await page.getByRole('button', { name: 'Create' }).click();
      await expect(page.getByText('The group was created.')).toBeVisible();
      await page.getByLabel('Add a member: username or email').fill(member.username);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await expect(page.getByTestId('member')).toHaveCount(1);
      await expectNoViolations(portal, 'group page');
      await portal.screenshot(testInfo, 'admin-group');
      await portal.screenshot(testInfo, 'admin-group', 1280);
      await portal.open('/admin/groups');
      await expect(page.getByTestId('group')).toContainText([group]);
      await expectNoViolations(portal, 'groups');
      await portal.screenshot(testInfo, 'admin-groups');

      // An invitation into that group, listed as pending, then revoked.
      const invited = newUser(javaScript ? 'invj' : 'invn');
      await portal.open('/admin/invitations');
      await page.getByLabel('Email address').fill(invited.email);
      await page.getByLabel('Groups (optional)').fill(group);
      await page.getByRole('button', { name: 'Send the invitation' }).click();
      await expect(page.getByText('The invitation is on its way.')).toBeVisible();
      await expect(page.getByTestId('invitation')).toContainText([invited.email]);
      await expect((await waitForMail(request, invited.email, 'invited to create an account')).text).toContain('/register?invitation=');
      await expectNoViolations(portal, 'invitations');
      await portal.screenshot(testInfo, 'admin-invitations');
      await portal.screenshot(testInfo, 'admin-invitations', 1280);
      await page.getByRole('button', { name: `Revoke: ${invited.email}` }).click();
      await expect(page.getByText('The invitation was revoked; its link no longer works.')).toBeVisible();
      await expect(page.getByTestId('invitation')).toHaveCount(0);

      // An app registered for "Sign in with Gatehouse": its secret shown once, then removed.
      const clientId = javaScript ? 'wiki-js' : 'wiki-nojs';
      await portal.open('/admin/clients');
      await page.getByLabel('Client id').fill(clientId);
      await page.getByLabel('Name shown to users').fill('The wiki');
      await page.getByLabel('Redirect URIs, one per line').fill('https://wiki.example.test/callback');
      await page.getByRole('button', { name: 'Register' }).click();
      await expect(page.getByText('The app is registered.')).toBeVisible();
      await expect(page.getByTestId('client-secret')).toHaveText(/^[A-Za-z0-9_-]{43}$/);
      await expectNoViolations(portal, 'clients');
      await portal.screenshot(testInfo, 'admin-clients');
      await portal.screenshot(testInfo, 'admin-clients', 1280);
      await page.getByRole('link', { name: 'Remove The wiki' }).click();
      await expect(page.getByRole('heading', { name: 'Remove The wiki?' })).toBeVisible();
      await expectNoViolations(portal, 'remove a client');
      await page.getByRole('button', { name: 'Remove the app' }).click();
      await expect(page.getByText('The app was removed; its tokens no longer work.')).toBeVisible();
      await expect(page.getByTestId('client-secret')).toHaveCount(0);

      // The console in German and in the dark scheme: every page, no violations.
      if (javaScript) {
        await page.getByRole('button', { name: 'Deutsch' }).click();
        await page.emulateMedia({ colorScheme: 'dark' });
        for (const path of ['/admin', '/admin/users', '/admin/groups', `/admin/groups/${group}`, '/admin/invitations', '/admin/clients', '/admin/events', '/admin/codes']) {
          await portal.open(path);
          await expect(page.locator('html')).toHaveAttribute('lang', 'de');
          await expectNoViolations(portal, `${path} in German, dark`);
        }
        await expect(page.getByRole('heading', { name: 'Code-Protokoll' })).toBeVisible();
        await page.emulateMedia({ colorScheme: 'light' });
        await page.getByRole('button', { name: 'English' }).click();
      }
    });

    test.describe('on a portal that locks after two wrong passwords', () => {
      test.use({ baseURL: LOCKING_PORTAL });

      test('admin: finds a locked account and unlocks it', async ({ page, browser, request }) => {
        test.setTimeout(120_000);
        const portal = new Portal(page, javaScript);
        const admin = newUser(javaScript ? 'alj' : 'aln');
        const member = newUser(javaScript ? 'lmj' : 'lmn');

        const memberContext = await browser.newContext({ javaScriptEnabled: javaScript, baseURL: LOCKING_PORTAL });
        const memberPortal = new Portal(await memberContext.newPage(), javaScript);
        await memberPortal.registerVerified(request, member);
        for (let attempt = 0; attempt < 2; attempt++) {
          await memberPortal.signIn(member.username, 'not-the-password-at-all');
          await expect(memberPortal.page.getByText('Incorrect username, email or password.')).toBeVisible();
        }

        await portal.registerVerified(request, admin);
        await portal.signIn(admin.username);
        await expect(page).toHaveURL(/\/dashboard$/);
        await enrol(portal, page);
        grantAdmin(admin.username, 'locking');

        await portal.open('/admin/users?filter=locked');
        await page.getByRole('link', { name: member.username }).click();
        await expect(page.getByTestId('state')).toHaveText('Locked');
        if (javaScript) await page.locator('main[data-hydrated="true"]').waitFor();
        await confirm(page, 'Unlock sign-in');
        await expect(page.getByTestId('state')).toHaveText('Active');

        await memberPortal.open('/login');
        await memberPortal.signIn(member.username);
        await expect(memberPortal.page).toHaveURL(/\/dashboard$/);
        await memberContext.close();
      });
    });
  });
}
