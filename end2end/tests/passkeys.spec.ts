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

/** Holds back the username field's passkey autofill (as in browsers without it), which
 * Chromium's virtual authenticator would otherwise answer on every visit to the sign-in page. */
async function withoutAutofill(page: Page) {
  await page.addInitScript(() => {
    if (!location.search.includes('autofill')) {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    }
  });
}

/** The dashboard's own sign-out (beside it, each other session has a "Sign out" of its own). */
async function signOut(page: Page) {
  await page.goto('/dashboard');
  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await expect(page).toHaveURL(/\/login\?signed_out=1$/);
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
    await withoutAutofill(page);
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

    // The passkey alone, from the button...
    await signOut(page);
    await portal.open('/login');
    await expectNoViolations(portal, 'the sign-in page');
    await portal.screenshot(testInfo, 'sign-in-passkey');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page).toHaveURL(/\/dashboard$/);

    // ... and from the username field's autofill (conditional mediation), which Chromium's
    // virtual authenticator answers by itself.
    await signOut(page);
    await page.goto('/login?autofill');
    await expect(page).toHaveURL(/\/dashboard$/);

    // The password, then the passkey as the second step.
    await signOut(page);
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
    await withoutAutofill(page);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await userWithPasskey(portal, request);
    await signOut(page);

    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    await portal.open('/login');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('alert')).toContainText('cancelled');
    await expect(page).toHaveURL(/\/login/);

    // The authenticator that held the passkey removed (another, without it, in its place): the
    // browser finds no passkey and ends the request, as cancelled.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await portal.open('/login');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
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
