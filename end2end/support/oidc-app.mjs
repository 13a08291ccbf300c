// A relying party as an app's developer would write it: npm's `openid-client`, unmodified, signing
// its users in with Gatehouse. Its client id is `rp`; its secret is what `gatehouse clients add`
// printed (the portal's start command writes it to $OIDC_APP_SECRET_FILE). It keeps each browser's
// sign-in in memory, under a cookie of its own.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as oidc from 'openid-client';

const PORT = Number(process.env.OIDC_APP_PORT ?? 3141);
const ISSUER = process.env.OIDC_ISSUER ?? 'http://127.0.0.1:3140';
const SECRET_FILE = process.env.OIDC_APP_SECRET_FILE ?? '.e2e/oidc/rp-secret';
const BASE = `http://127.0.0.1:${PORT}`;
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const browsers = new Map();

// Discovered on first use: the portal registers the client as it starts.
let configuration;
async function provider() {
  configuration ??= await oidc.discovery(new URL(ISSUER), 'rp', readFileSync(SECRET_FILE, 'utf8').trim(), undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  return configuration;
}

function page(response, title, body, status = 200) {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(
    `<!doctype html><html lang="en"><head><title>${escape(title)}</title>` +
      `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
      `<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`,
  );
}

function browserOf(request, response) {
  const cookie = /(?:^|;\s*)rp=([0-9a-f]+)/.exec(request.headers.cookie ?? '')?.[1];
  if (cookie && browsers.has(cookie)) return browsers.get(cookie);
  const id = randomBytes(16).toString('hex');
  const state = {};
  browsers.set(id, state);
  response.setHeader('set-cookie', `rp=${id}; Path=/; HttpOnly; SameSite=Lax`);
  return state;
}

async function handle(request, response) {
  const url = new URL(request.url, BASE);
  const browser = browserOf(request, response);
  const config = await provider();
  if (url.pathname === '/login') {
    browser.verifier = oidc.randomPKCECodeVerifier();
    browser.state = oidc.randomState();
    browser.nonce = oidc.randomNonce();
    const to = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${BASE}/callback`,
      scope: 'openid email profile groups',
      code_challenge: await oidc.calculatePKCECodeChallenge(browser.verifier),
      code_challenge_method: 'S256',
      state: browser.state,
      nonce: browser.nonce,
    });
    response.writeHead(302, { location: to.href });
    return response.end();
  }
  if (url.pathname === '/callback') {
    const tokens = await oidc.authorizationCodeGrant(config, url, {
      pkceCodeVerifier: browser.verifier,
      expectedState: browser.state,
      expectedNonce: browser.nonce,
    });
    const claims = tokens.claims();
    browser.idToken = tokens.id_token;
    browser.claims = claims;
    browser.userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    response.writeHead(302, { location: '/' });
    return response.end();
  }
  if (url.pathname === '/logout' && browser.idToken) {
    const to = oidc.buildEndSessionUrl(config, {
      id_token_hint: browser.idToken,
      post_logout_redirect_uri: `${BASE}/`,
      state: 'bye',
    });
    for (const key of Object.keys(browser)) delete browser[key];
    response.writeHead(302, { location: to.href });
    return response.end();
  }
  if (browser.claims) {
    const { claims, userinfo } = browser;
    return page(
      response,
      'The relying app',
      `<p>Signed in as <strong data-testid="user">${escape(userinfo.preferred_username)}</strong> ` +
        `(<span data-testid="email">${escape(userinfo.email)}</span>), ` +
        `by <span data-testid="amr">${escape(claims.amr.join(' '))}</span>.</p>` +
        `<p><a href="/logout">Sign out</a></p>`,
    );
  }
  const farewell = url.searchParams.get('state') === 'bye' ? '<p data-testid="signed-out">You are signed out.</p>' : '';
  return page(response, 'The relying app', `${farewell}<p><a href="/login">Sign in with Gatehouse</a></p>`);
}

http
  .createServer((request, response) => {
    handle(request, response).catch((error) => page(response, 'The relying app failed', `<p>${escape(error)}</p>`, 500));
  })
  .listen(PORT, '127.0.0.1');
