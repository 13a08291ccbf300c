// Floods /api/register with concurrent clients and reports throughput, latency and the server's
// peak memory. Run by hand through scripts/load-test.sh (it builds and starts a release server).
//   node scripts/load-test.mjs <origin> <server pid> [clients=64] [seconds=30]
import { readFileSync } from 'node:fs';

const [origin, pid, clients = '64', seconds = '30'] = process.argv.slice(2);
if (!origin || !pid) {
  console.error('usage: node scripts/load-test.mjs <origin> <server pid> [clients] [seconds]');
  process.exit(2);
}
const PASSWORD = 'tulip-orbit-marble-7';
const deadline = Date.now() + Number(seconds) * 1000;
const latencies = [];
const statuses = new Map();
let peakRssKiB = 0;

function residentKiB() {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmHWM:\s+(\d+) kB/)[1]);
}

async function client(id) {
  for (let n = 0; Date.now() < deadline; n++) {
    const username = `load${id}x${n}x${Math.floor(Math.random() * 1e6)}`;
    const body = new URLSearchParams({ username, email: `${username}@example.test`, password: PASSWORD, password_confirm: PASSWORD });
    const started = performance.now();
    const response = await fetch(`${origin}/api/register`, {
      method: 'POST',
      headers: { origin, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  }
}

const sampler = setInterval(() => { peakRssKiB = Math.max(peakRssKiB, residentKiB()); }, 200);
const startedAt = performance.now();
await Promise.all(Array.from({ length: Number(clients) }, (_, id) => client(id)));
const elapsed = (performance.now() - startedAt) / 1000;
clearInterval(sampler);
peakRssKiB = Math.max(peakRssKiB, residentKiB());

latencies.sort((a, b) => a - b);
const percentile = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
console.log(JSON.stringify({
  clients: Number(clients),
  seconds: Number(elapsed.toFixed(1)),
  requests: latencies.length,
  requests_per_second: Number((latencies.length / elapsed).toFixed(1)),
  p50_ms: Number(percentile(50).toFixed(1)),
  p99_ms: Number(percentile(99).toFixed(1)),
  statuses: Object.fromEntries(statuses),
  server_peak_rss_mib: Number((peakRssKiB / 1024).toFixed(1)),
}, null, 2));
