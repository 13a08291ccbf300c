import { expect, test, type Page } from '@playwright/test';
import { PASSKEY_PORTAL } from '../playwright.config';
import { newUser, Portal } from './fixtures/portal';

test.use({ baseURL: PASSKEY_PORTAL });

/** Chromium's virtual authenticator (DevTools' WebAuthn domain): a platform authenticator that
 * keeps discoverable credentials and verifies its user. */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function expectNoViolations(portal: Portal, where: string) {
  for (const width of [360, 1280]) {
    await portal.page.setViewportSize({ width, height: 800 });
    expect(await portal.accessibilityViolations(), `${where} at ${width} px`).toEqual([]);
  }
}

/** A new account, signed in, with one passkey ("This browser") on the virtual authenticator. */
async function userWithPasskey(portal: Portal, request: Parameters<Portal['registerVerified']>[0]) {
  const { page } = portal;
  const user = newUser('pk');
  await portal.registerVerified(request, user);
  await portal.signIn(user.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await portal.open('/account/security');
  await page.getByLabel('Name of the passkey').fill('This browser');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page).toHaveURL(/\/account\/security\?passkey_added=1$/);
  await expect(page.getByText('Your passkey is added.')).toBeVisible();
  return user;
}

test.describe('with JavaScript', () => {
  test('passkeys: add one, sign out, sign in with it alone, then after the password', async ({ page, request }, testInfo) => {
    test.setTimeout(120_000);
    const portal = new Portal(page, true);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    const user = await userWithPasskey(portal, request);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0].isResidentCredential, 'a discoverable credential').toBe(true);
    await expect(page.getByTestId('recovery-codes').locator('code')).toHaveCount(10);
    await page.locator('main[data-hydrated="true"]').waitFor();
    await expectNoViolations(portal, 'the security page with recovery codes');
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await expect(page.getByText('This browser — added')).toBeVisible();
    await page.locator('main[data-hydrated="true"]').waitFor();
    await expectNoViolations(portal, 'the security page with a passkey');
    await portal.screenshot(testInfo, 'security-passkeys');

    // The passkey alone, from the button (the browser's autofill held back, as where it is not
    // offered)...
    await portal.signOutFrom('/dashboard');
    await page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    await portal.open('/login');
    await expectNoViolations(portal, 'the sign-in page');
    await portal.screenshot(testInfo, 'sign-in-passkey');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page).toHaveURL(/\/dashboard$/);

    // ... and from the username field's autofill (conditional mediation), which Chromium's
    // virtual authenticator answers by itself.
    await portal.signOutFrom('/dashboard');
    const autofill = await page.context().newPage();
    await autofill.goto('/login');
    await expect(autofill).toHaveURL(/\/dashboard$/);
    await autofill.close();

    // The password, then the passkey as the second step.
    await portal.signOutFrom('/dashboard');
    await portal.open('/login');
    await portal.signIn(user.username);
    await expect(page).toHaveURL(/\/login\/verify\?next=/);
    await page.locator('main[data-hydrated="true"]').waitFor();
    await expectNoViolations(portal, 'the second step');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await expect(page).toHaveURL(/\/dashboard$/);

    // Renamed, then removed, by plain forms.
    await portal.open('/account/security');
    await page.getByLabel('New name').fill('Old laptop');
    await page.getByRole('button', { name: 'Rename' }).click();
    await expect(page.getByText('Your passkey is renamed.')).toBeVisible();
    await page.getByRole('button', { name: 'Remove Old laptop' }).click();
    await expect(page.getByText('Your passkey is removed.')).toBeVisible();
    await expect(page.getByText('You have no passkeys yet.')).toBeVisible();
  });

  test('passkeys: user verification off or no authenticator is refused as cancelled', async ({ page, request }) => {
    test.setTimeout(120_000);
    const portal = new Portal(page, true);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await userWithPasskey(portal, request);
    await portal.signOutFrom('/dashboard');

    await page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    await portal.open('/login');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('alert')).toContainText('cancelled');
    await expect(page).toHaveURL(/\/login/);

    // The authenticator gone while the browser waits for it: the request ends, as cancelled.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    await portal.open('/login');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForTimeout(1000);
    await cdp.send('WebAuthn.disable');
    await expect(page.getByRole('alert')).toContainText('cancelled', { timeout: 10_000 });
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('passkeys: without JavaScript the button is inert and the password still signs in', async ({ page, request }) => {
    const portal = new Portal(page, false);
    const user = newUser('pkn');
    await portal.registerVerified(request, user);
    await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeDisabled();
    await portal.signIn(user.username);
    await expect(page).toHaveURL(/\/dashboard$/);
    await portal.open('/account/security');
    await expect(page.getByRole('heading', { name: 'Passkeys' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeDisabled();
  });
});
