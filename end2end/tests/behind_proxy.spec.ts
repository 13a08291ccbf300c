import { expect, test } from '@playwright/test';
import { PROXY_PORTAL } from '../playwright.config';
import { waitForCode } from './fixtures/mailbox';
import { newUser, Portal } from './fixtures/portal';

test.use({ baseURL: PROXY_PORTAL });

test('register_behind_proxy: two instances on PostgreSQL behind nginx, the whole flow', async ({ page, request }) => {
  test.skip(!process.env.GATEHOUSE_E2E_POSTGRES_URL, 'needs GATEHOUSE_E2E_POSTGRES_URL (scripts/test.sh sets it)');
  const upstreams = new Set<string>();
  page.on('response', (response) => {
    const upstream = response.headers()['x-upstream'];
    if (upstream) upstreams.add(upstream);
  });
  const portal = new Portal(page);
  const user = newUser('pg');
  await portal.register(user);
  await expect(portal.countdown()).toBeVisible();
  await portal.enterCode(await waitForCode(request, user.email));
  await expect(page).toHaveURL(/\/login\?verified=1$/);
  await portal.signIn(user.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: `Hello, ${user.username}` })).toBeVisible();
  await portal.signOut();
  expect(upstreams.size, 'the pages and calls were answered by both instances').toBe(2);
});
