import { expect, test } from '@playwright/test';
import { RELEASE_PORTAL } from '../playwright.config';
import { waitForCode } from './fixtures/mailbox';
import { newUser, Portal } from './fixtures/portal';

test.use({ baseURL: RELEASE_PORTAL });

test('release_binary: the binary alone in an empty folder serves the whole portal, hydration included', async ({
  page,
  request,
}) => {
  // What the browser's network log says went over the wire (headers and compressed bodies).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  const transferred = new Map<string, number>();
  cdp.on('Network.responseReceived', (event) => urls.set(event.requestId, event.response.url));
  cdp.on('Network.loadingFinished', (event) => transferred.set(event.requestId, event.encodedDataLength));

  const portal = new Portal(page);
  await portal.open('/register');
  await page.waitForLoadState('networkidle');
  const total = [...transferred.values()].reduce((sum, bytes) => sum + bytes, 0);
  const listing = [...transferred.entries()].map(([id, bytes]) => `${bytes} B ${urls.get(id)}`).join('\n  ');
  console.log(`first visit to /register: ${total} B transferred in ${transferred.size} responses\n  ${listing}`);

  expect(total).toBeLessThanOrEqual(200_000);

  // The bundle: compressed, in a folder named by its content, cacheable for good, revalidated by
  // ETag. The register form's island came in chunks of its own, beside the main module.
  const wasmUrls = [...urls.values()].filter((url) => url.endsWith('.wasm'));
  const wasm = wasmUrls.find((url) => url.endsWith('/gatehouse.wasm'));
  expect(wasm).toMatch(/\/pkg\/[0-9a-f]{16}\/gatehouse\.wasm$/);
  expect(wasmUrls.some((url) => /\/split_register_form_[^/]*\.wasm$/.test(url))).toBe(true);
  expect(wasmUrls.every((url) => url.startsWith(wasm!.replace(/gatehouse\.wasm$/, '')))).toBe(true);
  const bundle = await request.get(wasm!, { headers: { 'accept-encoding': 'gzip, br' } });
  expect(bundle.headers()['content-encoding']).toBe('br');
  expect(bundle.headers()['content-type']).toBe('application/wasm');
  expect(bundle.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  const revalidated = await request.get(wasm!, { headers: { 'if-none-match': bundle.headers()['etag'] } });
  expect(revalidated.status()).toBe(304);
  const gzipOnly = await request.get(wasm!, { headers: { 'accept-encoding': 'gzip' } });
  expect(gzipOnly.headers()['content-encoding']).toBe('gzip');
  // The binary carries the bundle compressed only: a client that takes neither encoding gets it inflated.
  const identity = await request.get(wasm!, { headers: { 'accept-encoding': 'identity' } });
  expect(identity.headers()['content-encoding']).toBeUndefined();
  const plain = await identity.body();
  expect(plain.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
  expect(plain.equals(await gzipOnly.body())).toBe(true);
  const page404 = await request.get('/pkg/gatehouse.wasm');
  expect(page404.status()).toBe(404);

  // A page without an island loads no script and no WASM at all.
  const home = await page.context().newPage();
  const homeRequests: string[] = [];
  home.on('request', (request) => homeRequests.push(request.url()));
  await home.goto('/');
  await home.locator('main[data-hydrated="true"]').waitFor();
  await home.waitForLoadState('networkidle');
  expect(homeRequests.filter((url) => /\.(js|wasm)$/.test(url))).toEqual([]);
  await home.close();

  const user = newUser('rel');
  await portal.register(user);
  const code = await waitForCode(request, user.email);
  await portal.enterCode(code);
  await expect(page).toHaveURL(/\/login\?verified=1$/);
  await portal.signIn(user.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: `Hello, ${user.username}` })).toBeVisible();
});
