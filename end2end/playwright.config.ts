import { defineConfig } from '@playwright/test';

// Two portals from the same debug build: one on the defaults, one with a short code lifetime
// and resend cooldown for the expiry scenario. Each starts on an empty database.
const portal = (port: number, name: string, env: Record<string, string> = {}) => ({
  command: `rm -rf .e2e/${name} && mkdir -p .e2e/${name} && exec ../target/debug/gatehouse`,
  url: `http://127.0.0.1:${port}/healthz`,
  reuseExistingServer: false,
  timeout: 60_000,
  env: {
    GATEHOUSE_CONFIG: '../Leptos.toml',
    LEPTOS_OUTPUT_NAME: 'gatehouse',
    LEPTOS_SITE_ROOT: '../target/site',
    LEPTOS_SITE_PKG_DIR: 'pkg',
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    GATEHOUSE_DATABASE_URL: `sqlite://.e2e/${name}/gatehouse.db`,
    GATEHOUSE_SECRET_KEY_FILE: `.e2e/${name}/secret.key`,
    GATEHOUSE_SMTP_URL: 'smtp://127.0.0.1:2525',
    ...env,
  },
});

export const MAIN_PORTAL = 'http://127.0.0.1:3100';
export const SHORT_CODE_PORTAL = 'http://127.0.0.1:3101';

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
    portal(3100, 'main'),
    portal(3101, 'short-code', { GATEHOUSE_CODE_TTL_SECS: '6', GATEHOUSE_RESEND_COOLDOWN_SECS: '3' }),
  ],
});
