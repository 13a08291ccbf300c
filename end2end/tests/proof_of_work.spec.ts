import { expect, test } from '@playwright/test';
import { GUARDED_PORTAL } from '../playwright.config';
import { waitForCode } from './fixtures/mailbox';
import { newUser, PASSWORD, Portal } from './fixtures/portal';

test.use({ baseURL: GUARDED_PORTAL });

test('proof_of_work: after three failed sign-ins the browser solves a challenge and the right password gets in', async ({ page, request }, testInfo) => {
  const portal = new Portal(page);
  const user = newUser('pow');
  await portal.register(user);
  await portal.enterCode(await waitForCode(request, user.email));
  await expect(page).toHaveURL(/\/login\?verified=1$/);

  // Each attempt is judged by its own answer: the sentence would still be showing from the first.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/login'));
    await portal.signIn(user.username, `wrong-password-${attempt}`);
    expect((await answered).status(), `attempt ${attempt}`).toBe(401);
    await expect(page.getByText('Incorrect username, email or password.')).toBeVisible();
  }
  // The fourth try needs a proof of work: the page finds it in WASM and submits again by itself.
  const asked = page.waitForResponse((response) => response.url().endsWith('/api/login') && response.status() === 429);
  await portal.signIn(user.username, PASSWORD);
  const challenge = await (await asked).json();
  expect(challenge.error.ProofOfWorkRequired.challenge).toMatch(/^v1\.14\./);
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 20_000 });
  await expect(page.getByRole('heading', { name: `Hello, ${user.username}` })).toBeVisible();
  await expect(page.getByText('Failed sign-in').first()).toBeVisible();
  await portal.screenshot(testInfo, 'dashboard-after-proof-of-work');
});
