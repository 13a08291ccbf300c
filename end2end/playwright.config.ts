import { defineConfig } from '@playwright/test';

// Every portal runs the one release binary that scripts/test.sh builds (scripts/release.sh) and
// copies alone into an empty folder: the site is inside it. Each portal has an empty database of
// its own. Every test browses from 127.0.0.1, so the portals for the flow scenarios lift the
// per-client limits; the guarded portal keeps the shipped limits (with an easier proof of work)
// for the abuse scenarios.
export const BINARY = process.env.GATEHOUSE_E2E_BINARY ?? '';
if (!BINARY) {
  throw new Error('GATEHOUSE_E2E_BINARY must name a gatehouse binary built by scripts/release.sh (scripts/test.sh sets it)');
}
const LIFTED_LIMITS = {
  GATEHOUSE_REGISTER_PER_IP: '10000/1h',
  GATEHOUSE_MAIL_PER_ADDRESS: '10000/1h',
  GATEHOUSE_MAIL_PER_ADDRESS_DAILY: '10000/1d',
  GATEHOUSE_MAIL_PER_INSTANCE: '100000/1h',
  GATEHOUSE_RESEND_PER_IP: '10000/1h',
  GATEHOUSE_VERIFY_FAILURES_PER_IP: '10000/1h',
  GATEHOUSE_LOGIN_FAILURES_PER_IP: '10000/1h',
  GATEHOUSE_PASSWORD_CHECKS_PER_IP: '10000/1h',
  GATEHOUSE_PASSWORD_CHECKS_PER_ACCOUNT: '10000/1h',
  GATEHOUSE_POW_AFTER_REGISTRATIONS: '10000',
  GATEHOUSE_POW_AFTER_CLIENT_LOGIN_FAILURES: '10000',
};
const portal = (port: number, name: string, env: Record<string, string> = {}) => ({
  // Each portal's log is kept in its folder: scripts/test.sh shows their errors when a spec fails.
  command: `rm -rf .e2e/${name} && mkdir -p .e2e/${name} && exec "${BINARY}" >.e2e/${name}/portal.log 2>&1`,
  url: `http://127.0.0.1:${port}/healthz`,
  reuseExistingServer: false,
  timeout: 60_000,
  env: {
    GATEHOUSE_CONFIG: '../Leptos.toml',
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    GATEHOUSE_DATABASE_URL: `sqlite://.e2e/${name}/gatehouse.db`,
    GATEHOUSE_SECRET_KEY_FILE: `.e2e/${name}/secret.key`,
    GATEHOUSE_SMTP_URL: 'smtp://127.0.0.1:2525',
    NO_COLOR: '1',
    ...env,
  },
});

// With GATEHOUSE_E2E_POSTGRES_URL set (scripts/test.sh sets it), two more portals share that
// PostgreSQL database behind a round-robin nginx on port 3110.
const POSTGRES_URL = process.env.GATEHOUSE_E2E_POSTGRES_URL;
const SHARED_INSTANCE = {
  ...LIFTED_LIMITS,
  GATEHOUSE_DATABASE_URL: POSTGRES_URL ?? '',
  GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1',
  // Instances behind one proxy share the server key: any of them checks what another issued.
  GATEHOUSE_SECRET_KEY: '5e'.repeat(32),
};
const behindProxy = POSTGRES_URL
  ? [
      portal(3111, 'postgres-a', SHARED_INSTANCE),
      portal(3112, 'postgres-b', SHARED_INSTANCE),
      {
        command: 'exec ../scripts/lib/round-robin-proxy.sh 3110 "$PWD/.e2e/proxy" 3111 3112',
        url: 'http://127.0.0.1:3110/healthz',
        reuseExistingServer: false,
        timeout: 60_000,
      },
    ]
  : [];

// The same binary alone in its empty folder, on its built-in defaults: everything it needs is
// inside it.
const releaseBinaryAlone = {
  command: `cd "$(dirname "${BINARY}")" && exec ./gatehouse`,
  url: 'http://127.0.0.1:3120/healthz',
  reuseExistingServer: false,
  timeout: 60_000,
  env: { ...LIFTED_LIMITS, LEPTOS_SITE_ADDR: '127.0.0.1:3120', GATEHOUSE_SMTP_URL: 'smtp://127.0.0.1:2525' },
};

// Forward-auth: a portal at portal.gatehouse.test and an app at app.gatehouse.test, both behind
// nginx on port 3131 (Chromium maps every *.gatehouse.test name to loopback), the app behind
// /auth/verify with the files of deploy/forward-auth/.
const forwardAuth = [
  portal(3130, 'forward-auth', {
    ...LIFTED_LIMITS,
    GATEHOUSE_CONFIG: 'support/forward-auth.toml',
    GATEHOUSE_PUBLIC_URL: 'http://portal.gatehouse.test:3131',
    GATEHOUSE_COOKIE_DOMAIN: 'gatehouse.test',
  }),
  { command: 'ECHO_APP_PORT=3132 exec node support/echo-app.mjs', port: 3132, reuseExistingServer: false },
  {
    command: 'exec ../scripts/lib/forward-auth-proxy.sh 3131 "$PWD/.e2e/forward-auth-proxy" gatehouse.test 3130 3132',
    port: 3131,
    reuseExistingServer: false,
    timeout: 60_000,
  },
];
// "Sign in with Gatehouse": a portal with the provider on at 3140, and on 3141 a relying app written
// with npm's openid-client; the portal's start command registers the app first (its secret, the
// last line the command prints, goes to a file the app reads).
const oidcPortal = portal(3140, 'oidc', {
  ...LIFTED_LIMITS,
  GATEHOUSE_PUBLIC_URL: 'http://127.0.0.1:3140',
  GATEHOUSE_OIDC_PROVIDER: 'true',
});
oidcPortal.command =
  `rm -rf .e2e/oidc && mkdir -p .e2e/oidc && "${BINARY}" clients add --id rp --name "The relying app" ` +
  `--redirect-uri http://127.0.0.1:3141/callback --post-logout-uri http://127.0.0.1:3141/ --consent explicit ` +
  `| tail -n 1 > .e2e/oidc/rp-secret && exec "${BINARY}"`;
const signInWithGatehouse = [
  oidcPortal,
  { command: 'OIDC_APP_PORT=3141 exec node support/oidc-app.mjs', port: 3141, reuseExistingServer: false },
];
// Passkeys: browsers refuse WebAuthn on an IP address, so this portal's public address (and the
// relying-party id) is localhost.
const passkeyPortal = portal(3150, 'passkeys', { ...LIFTED_LIMITS, GATEHOUSE_PUBLIC_URL: 'http://localhost:3150' });
export const PASSKEY_PORTAL = 'http://localhost:3150';
// Who may register: a portal open only to invitations, with terms (version 1); and a second
// instance on the same database whose terms are now version 2, started once the first made it.
const INVITE_ONLY = {
  ...LIFTED_LIMITS,
  GATEHOUSE_REGISTRATION: 'invite',
  GATEHOUSE_TERMS_URL: 'https://terms.example.test/',
  GATEHOUSE_TERMS_VERSION: '1',
};
const inviteOnlyPortal = portal(3160, 'invite-only', INVITE_ONLY);
const newTermsPortal = portal(3161, 'invite-only', { ...INVITE_ONLY, GATEHOUSE_TERMS_VERSION: '2' });
newTermsPortal.command =
  `until node -e "fetch('http://127.0.0.1:3160/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; ` +
  `do sleep 0.3; done; exec "${BINARY}"`;
export const INVITE_ONLY_PORTAL = 'http://127.0.0.1:3160';
export const NEW_TERMS_PORTAL = 'http://127.0.0.1:3161';
export const OIDC_PORTAL = 'http://127.0.0.1:3140';
export const OIDC_APP = 'http://127.0.0.1:3141';
export const FORWARD_AUTH_PORTAL = 'http://portal.gatehouse.test:3131';
export const FORWARD_AUTH_APP = 'http://app.gatehouse.test:3131';
export const MAIN_PORTAL = 'http://127.0.0.1:3100';
export const RELEASE_PORTAL = 'http://127.0.0.1:3120';
export const PROXY_PORTAL = 'http://127.0.0.1:3110';
export const SHORT_CODE_PORTAL = 'http://127.0.0.1:3101';
export const GUARDED_PORTAL = 'http://127.0.0.1:3102';
// Locks an account after two wrong passwords, for the admin console's unlock.
export const LOCKING_PORTAL = 'http://127.0.0.1:3103';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: MAIN_PORTAL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    { command: 'node support/mail-sink.mjs', url: 'http://127.0.0.1:2580/health', reuseExistingServer: false },
    portal(3100, 'main', LIFTED_LIMITS),
    portal(3101, 'short-code', { ...LIFTED_LIMITS, GATEHOUSE_CODE_TTL_SECS: '6', GATEHOUSE_RESEND_COOLDOWN_SECS: '3' }),
    portal(3102, 'guarded', { GATEHOUSE_POW_DIFFICULTY: '14' }),
    portal(3103, 'locking', {
      ...LIFTED_LIMITS,
      GATEHOUSE_LOGIN_LOCK_AFTER: '2',
      GATEHOUSE_POW_AFTER_LOGIN_FAILURES: '10000',
    }),
    ...behindProxy,
    ...forwardAuth,
    ...signInWithGatehouse,
    passkeyPortal,
    inviteOnlyPortal,
    newTermsPortal,
    releaseBinaryAlone,
  ],
});
