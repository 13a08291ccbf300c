import { expect, test } from '@playwright/test';
import { Portal } from './fixtures/portal';

// A German browser gets German pages; the switch on every page changes the language with and
// without JavaScript, and the choice outlives the page (a cookie).
for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: javaScript, locale: 'de-DE' });

    test('a German browser reads German, and the switch changes the language', async ({ page }, testInfo) => {
      const portal = new Portal(page, javaScript);
      await portal.open('/');
      await expect(page.locator('html')).toHaveAttribute('lang', 'de');
      await expect(page.getByRole('heading', { name: 'Willkommen bei Gatehouse' })).toBeVisible();
      await expect(page).toHaveTitle('Willkommen · Gatehouse');
      if (javaScript) {
        expect(await portal.accessibilityViolations()).toEqual([]);
        await page.emulateMedia({ colorScheme: 'dark' });
        expect(await portal.accessibilityViolations()).toEqual([]);
        await portal.screenshot(testInfo, 'start-dark-de');
        await page.emulateMedia({ colorScheme: 'light' });
      }

      await page.getByRole('button', { name: 'English' }).click();
      await expect(page).toHaveURL(/\/$/);
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(page.getByRole('heading', { name: 'Welcome to Gatehouse' })).toBeVisible();
      await portal.open('/no-such-page');
      await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

      await page.getByRole('button', { name: 'Deutsch' }).click();
      await expect(page.getByRole('heading', { name: 'Seite nicht gefunden' })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    });
  });
}

// The forms' words, their live checks (an island's words come as props) and the server's refusals,
// all German for a German reader, with and without JavaScript.
for (const javaScript of [true, false]) {
  test(`German forms check and refuse in German ${javaScript ? 'with' : 'without'} JavaScript`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: 'de-DE' });
    const page = await context.newPage();
    const portal = new Portal(page, javaScript);
    await portal.open('/register');
    await expect(page.getByRole('heading', { name: 'Konto anlegen' })).toBeVisible();
    await page.getByLabel('Benutzername').fill('ab');
    if (javaScript) {
      await expect(page.locator('#username-message')).toHaveText('Verwenden Sie 3 bis 32 Zeichen (Sie haben 2).');
    } else {
      await page.getByLabel('E-Mail-Adresse').fill('greta@example.test');
      await page.getByLabel('Passwort', { exact: true }).fill('tulip-orbit-marble-7');
      await page.getByLabel('Passwort wiederholen').fill('tulip-orbit-marble-7');
      await page.getByRole('button', { name: 'Konto anlegen', exact: true }).click();
      await expect(page.locator('#username-message')).toHaveText('Verwenden Sie 3 bis 32 Zeichen (Sie haben 2).');
    }

    await portal.open('/login');
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill('nobody');
    await page.getByLabel('Passwort', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await expect(page.getByText('Benutzername, E-Mail-Adresse oder Passwort ist falsch.')).toBeVisible();
    // axe runs in the page, so only where the page runs scripts.
    if (javaScript) expect(await portal.accessibilityViolations()).toEqual([]);
    await context.close();
  });
}
