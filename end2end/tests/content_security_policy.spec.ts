import { expect, test } from '@playwright/test';
import { newUser, Portal } from './fixtures/portal';

test('csp: every page hydrates under the Content-Security-Policy without a single violation', async ({ page, request }) => {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as any).__violations = [...((window as any).__violations ?? []), `${event.violatedDirective} ${event.blockedURI}`];
    });
  });
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  const portal = new Portal(page);
  const user = newUser('csp');
  await portal.registerVerified(request, user);
  await portal.signIn(user.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  for (const path of ['/dashboard', '/account', '/account/security', '/', '/register', '/login', '/verify', '/unlock/00', '/no-such-page']) {
    const response = await page.goto(path);
    const policy = response!.headers()['content-security-policy'];
    expect(policy).toContain("'wasm-unsafe-eval'");
    expect(policy).toMatch(/'nonce-[0-9a-f]{32}'/);
    await page.locator('main[data-hydrated="true"]').waitFor();
    violations.push(...(await page.evaluate(() => (window as any).__violations ?? [])));
  }
  // The enrolment page draws its QR code as inline SVG: no style or image source to allow.
  await portal.open('/account/security');
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByTestId('totp-secret')).toBeVisible();
  await page.reload();
  await page.locator('main[data-hydrated="true"]').waitFor();
  violations.push(...(await page.evaluate(() => (window as any).__violations ?? [])));
  // Hydrated means interactive: inline validation answers as the user types.
  await portal.open('/register');
  await page.getByLabel('Username').fill(newUser('x').username + ' !');
  await expect(page.getByText('Use only letters')).toBeVisible();
  expect(violations).toEqual([]);
});
