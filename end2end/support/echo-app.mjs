// The app behind forward-auth in the end-to-end tests: one page naming the user the proxy says
// signed in (Remote-User), on 127.0.0.1:$ECHO_APP_PORT (default 3132).
import http from 'node:http';

const PORT = Number(process.env.ECHO_APP_PORT ?? 3132);
const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

http
  .createServer((request, response) => {
    const user = escape(String(request.headers['remote-user'] ?? ''));
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      `<!doctype html><html lang="en"><head><title>The app</title>` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
        `<body><main><h1>The app</h1><p>Signed in as <strong data-testid="user">${user}</strong> ` +
        `at ${escape(request.url ?? '')}</p></main></body></html>`,
    );
  })
  .listen(PORT, '127.0.0.1');
