// Load against a running Gatehouse, reported as JSON. Run through scripts/load-test.sh, which
// builds and starts the servers.
//   node scripts/bench/load.mjs register <origin> <pids> [clients=64] [seconds=30]
//       floods /api/register with new users; throughput, p50/p99, statuses, peak RSS of <pids>
//   node scripts/bench/load.mjs sign-in <origin> <pids> <identifier> [clients=64] [seconds=30]
//       floods /api/login with the right password for <identifier>
//   node scripts/bench/load.mjs burst <origin> [requests=200]
//       that many wrong sign-ins from one client, all sent at once; how many were evaluated
//   node scripts/bench/load.mjs refused <origin> [requests=10000] [clients=64]
//       that many sign-ins the per-client limit refuses
// <pids> is a comma-separated list of server process ids (their peak RSS is read from /proc).
import { readFileSync } from 'node:fs';

const PASSWORD = 'tulip-orbit-marble-7';
const [mode, origin, ...rest] = process.argv.slice(2);
const headers = { origin, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };

async function post(path, fields, extraHeaders = {}) {
  const started = performance.now();
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { ...headers, ...extraHeaders },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

function peakResidentMiB(pids) {
  return pids.map((pid) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number((Number(status.match(/VmHWM:\s+(\d+) kB/)[1]) / 1024).toFixed(1));
  });
}

async function flood(pids, clients, seconds, request) {
  const deadline = Date.now() + seconds * 1000;
  const latencies = [];
  const statuses = {};
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const { status, ms } = await request(client, n);
        latencies.push(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return {
    clients,
    seconds: Number(elapsed.toFixed(1)),
    requests: latencies.length,
    requests_per_second: Number((latencies.length / elapsed).toFixed(1)),
    p50_ms: Number(percentile(50).toFixed(1)),
    p99_ms: Number(percentile(99).toFixed(1)),
    statuses,
    peak_rss_mib: peakResidentMiB(pids),
  };
}

const pidsOf = (list) => list.split(',').filter(Boolean);
let report;
if (mode === 'register') {
  const [pids, clients = '64', seconds = '30'] = rest;
  const run = Math.floor(Math.random() * 1e9).toString(36);
  report = await flood(pidsOf(pids), Number(clients), Number(seconds), (client, n) => {
    const username = `load${run}x${client}x${n}`;
    return post('/api/register', { username, email: `${username}@example.test`, password: PASSWORD, password_confirm: PASSWORD });
  });
} else if (mode === 'sign-in') {
  const [pids, identifier, clients = '64', seconds = '30'] = rest;
  // Each flood client is its own client (the servers trust the loopback proxy's X-Forwarded-For):
  // an attempt is counted against its identifier and client until it is settled, so 64 parallel
  // sign-ins from one address would meet the sign-in delay meant for guessing.
  report = await flood(pidsOf(pids), Number(clients), Number(seconds), (client) =>
    post('/api/login', { identifier, password: PASSWORD, next: '' }, { 'x-forwarded-for': `10.64.0.${client + 1}` }),
  );
} else if (mode === 'burst') {
  const requests = Number(rest[0] ?? 200);
  const answers = await Promise.all(
    Array.from({ length: requests }, (_, n) => post('/api/login', { identifier: `burst${n}`, password: 'wrong password!', next: '' })),
  );
  const statuses = {};
  for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  report = { requests, evaluated: statuses[401] ?? 0, statuses };
} else if (mode === 'refused') {
  const [requests = '10000', clients = '64'] = rest;
  let sent = 0;
  const statuses = {};
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: Number(clients) }, async () => {
      while (sent < Number(requests)) {
        sent += 1;
        const { status } = await post('/api/login', { identifier: `refused${sent}`, password: 'wrong password!', next: '' });
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  report = { requests: Number(requests), seconds: Number(((performance.now() - startedAt) / 1000).toFixed(1)), statuses };
} else {
  console.error('usage: see the top of scripts/bench/load.mjs');
  process.exit(2);
}
console.log(JSON.stringify(report));
