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
