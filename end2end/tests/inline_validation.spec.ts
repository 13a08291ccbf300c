import { expect, test } from '@playwright/test';
import { Portal } from './fixtures/portal';

test('validate_fields: rules show as the user types, before any submit', async ({ page }) => {
  const portal = new Portal(page);
  await portal.open('/register');

  await page.getByLabel('Username').fill('ab');
  await expect(page.locator('#username-message')).toHaveText(/Use 3 to 32 characters/);
  await page.getByLabel('Username').fill('alice');
  await expect(page.locator('#username-message')).toBeEmpty();

  await page.getByLabel('Email address').fill('not-an-address');
  await expect(page.locator('#email-message')).toHaveText(/Enter an email address like/);

  await page.getByLabel('Password', { exact: true }).fill('short');
  await expect(page.locator('#password-message')).toHaveText(/at least 15 characters \(you have 5\)/);
  // The 10,000 common passwords are the server's check (the list is not sent to every visitor):
  // the page says nothing of them as you type, the server does when the form is sent.
  await page.getByLabel('Password', { exact: true }).fill('password1234567');
  await expect(page.locator('#password-message')).toBeEmpty();
  await page.getByLabel('Password', { exact: true }).fill('alice-rides-a-bicycle');
  await expect(page.locator('#password-message')).toHaveText(/must not contain your username/);

  await page.getByLabel('Repeat the password').fill('something else');
  await expect(page.locator('#password_confirm-message')).toHaveText('The two passwords do not match.');
  await expect(page.locator('#password')).toHaveAttribute('aria-invalid', 'true');

  // The server says the same when the form is sent anyway: its own answer is a 422 naming the
  // fields, and the page then shows the server's sentence for the email field.
  await page.getByLabel('Username').fill('alice-again');
  await page.getByLabel('Password', { exact: true }).fill('tulip-orbit-marble-7');
  await page.getByLabel('Repeat the password').fill('tulip-orbit-marble-7');
  const answer = page.waitForResponse((response) => response.url().endsWith('/api/register'));
  await page.getByRole('button', { name: 'Create account' }).click();
  const response = await answer;
  expect(response.status()).toBe(422);
  const body = await response.json();
  expect(body.error.Validation).toEqual([{ field: 'Email', message: 'Enter an email address like name@example.com.' }]);
  expect(body.sentence).toBe('Please correct the highlighted fields.');
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.locator('#email-message')).toHaveText('Enter an email address like name@example.com.');
});
