// A first visit to <url> in Chromium (empty cache), until the page has hydrated and the network
// is idle: the bytes transferred as the browser's network log reports them (headers and
// compressed bodies), per response and in total, as JSON.
//   node scripts/bench/first-load.mjs <url>
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');
const [url] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Network.enable');
const responses = new Map();
cdp.on('Network.responseReceived', ({ requestId, response }) =>
  responses.set(requestId, { url: response.url, encoding: response.headers['content-encoding'] ?? 'identity' }),
);
cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
  responses.set(requestId, { ...responses.get(requestId), bytes: encodedDataLength });
});
await page.goto(url);
await page.locator('main[data-hydrated="true"]').waitFor();
await page.waitForLoadState('networkidle');
await browser.close();
const listed = [...responses.values()].filter((response) => response.bytes !== undefined);
const total = listed.reduce((sum, response) => sum + response.bytes, 0);
console.log(JSON.stringify({ url, total_bytes: total, responses: listed }));
