// How long the browser takes to solve the proof of work: signs in on a release server that asks
// every sign-in for one, and times from the server's challenge to the browser's solved retry,
// in Debian's Chromium. Run by hand through scripts/pow-bench.sh.
//   node scripts/pow-bench.mjs <origin> [tries=10]
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const [origin, tries = '10'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const times = [];
let difficulty;
for (let n = 0; n < Number(tries); n++) {
  const page = await browser.newPage();
  await page.goto(`${origin}/login`);
  await page.locator('main[data-hydrated="true"]').waitFor();
  await page.getByLabel('Username or email').fill(`nobody${n}`);
  await page.getByLabel('Password', { exact: true }).fill('not-the-password-at-all');
  let challengedAt;
  const solved = new Promise((resolve) => {
    page.on('response', async (response) => {
      if (!response.url().endsWith('/api/login')) return;
      if (response.status() === 429) {
        challengedAt = performance.now();
        difficulty = (await response.json()).ProofOfWorkRequired.challenge.split('.')[1];
      }
    });
    page.on('request', (request) => {
      if (request.url().endsWith('/api/login') && challengedAt !== undefined) resolve(performance.now() - challengedAt);
    });
  });
  await page.getByRole('button', { name: 'Sign in' }).click();
  times.push(await solved);
  await page.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(JSON.stringify({
  difficulty_bits: Number(difficulty),
  tries: times.length,
  median_ms: Math.round(times[Math.floor(times.length / 2)]),
  min_ms: Math.round(times[0]),
  max_ms: Math.round(times[times.length - 1]),
}, null, 2));
