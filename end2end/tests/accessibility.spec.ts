import { expect, test, type Locator } from '@playwright/test';
import { waitForCode } from './fixtures/mailbox';
import { newUser, PASSWORD, Portal } from './fixtures/portal';

// Every page, at a phone's width and a desktop's, in both colour schemes and both languages,
// against axe-core's WCAG 2.2 AA rules.
const VIEWS = [
  { width: 360, colorScheme: 'light', language: 'en' },
  { width: 1280, colorScheme: 'light', language: 'en' },
  { width: 360, colorScheme: 'dark', language: 'en' },
  { width: 360, colorScheme: 'light', language: 'de' },
  { width: 1280, colorScheme: 'dark', language: 'de' },
] as const;

test('accessibility: every page has no WCAG 2.2 AA violation at 360 and 1280 px, light and dark, English and German', async ({ page, request, baseURL }) => {
  test.setTimeout(240_000);
  const portal = new Portal(page);
  const found: string[] = [];
  const check = async (path: string) => {
    for (const { width, colorScheme, language } of VIEWS) {
      // The language switch's own request (it saves the choice on a signed-in account too).
      await page.request.post('/language', { form: { language, next: '/' }, headers: { origin: baseURL! } });
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 800 });
      await portal.open(path);
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      const view = `${path} @${width} ${colorScheme} ${language}`;
      found.push(...(await portal.accessibilityViolations()).map((violation) => `${view}: ${violation}`));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) found.push(`${view}: scrolls sideways by ${overflow} px`);
    }
    await page.request.post('/language', { form: { language: 'en', next: '/' }, headers: { origin: baseURL! } });
    await page.emulateMedia({ colorScheme: 'light' });
    // Back to the page in English, for the steps that follow it by its words.
    await portal.open(path);
  };
  for (const path of ['/', '/register', '/login', '/login/verify', '/recover', '/recover/password', '/unlock/00', '/no-such-page']) {
    await check(path);
  }
  const user = newUser('a11y');
  await portal.register(user);
  await waitForCode(request, user.email);
  await check('/verify');
  await portal.open('/recover');
  await page.getByLabel('Username or email').fill(user.email);
  await page.getByRole('button', { name: 'Send a code' }).click();
  await expect(page).toHaveURL(/\/recover\/verify$/);
  await check('/recover/verify');
  await portal.open('/verify');
  await portal.enterCode(await waitForCode(request, user.email, 1));
  await portal.signIn(user.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await check('/dashboard');
  await check('/account');
  await page.getByLabel('New email address').fill(`other-${user.email}`);
  await page.getByRole('button', { name: 'Send a code' }).click();
  await expect(page).toHaveURL(/\/account\/email\/verify$/);
  await check('/account/email/verify');
  await check('/account/security');
  expect(found).toEqual([]);
});

// Register, verify and sign in with the keyboard alone: every control is reached with Tab, shows
// where the focus is, and works with Enter.
test('keyboard: register, verify and sign in without a pointer', async ({ page, request }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  const portal = new Portal(page);
  const user = newUser('keys');
  const tabTo = async (target: Locator) => {
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      if (await target.evaluate((element) => element === document.activeElement)) {
        const outline = await target.evaluate((element) => getComputedStyle(element).outlineStyle);
        expect(outline, 'the focused control shows a focus ring').not.toBe('none');
        return;
      }
    }
    throw new Error(`Tab never reached ${target}`);
  };
  const typeInto = async (label: string, text: string) => {
    await tabTo(page.getByLabel(label, { exact: true }));
    await page.keyboard.type(text);
  };

  await portal.open('/register');
  await typeInto('Username', user.username);
  await typeInto('Email address', user.email);
  await typeInto('Password', PASSWORD);
  await typeInto('Repeat the password', PASSWORD);
  await tabTo(page.getByRole('button', { name: 'Create account' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/verify$/);

  await typeInto('Verification code', await waitForCode(request, user.email));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/login\?verified=1$/);

  await typeInto('Username or email', user.username);
  await typeInto('Password', PASSWORD);
  await tabTo(page.getByRole('button', { name: 'Sign in' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/dashboard$/);

  await tabTo(page.getByRole('link', { name: 'Account settings' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/account$/);
});
