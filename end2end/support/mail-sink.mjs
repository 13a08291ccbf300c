// A real SMTP server on loopback for the end-to-end tests, with a small HTTP API to read what
// it received: GET /messages?to=<address> -> [{ to, subject, text }] (text: the raw message).
import http from 'node:http';
import { SMTPServer } from 'smtp-server';

const SMTP_PORT = Number(process.env.SINK_SMTP_PORT ?? 2525);
const HTTP_PORT = Number(process.env.SINK_HTTP_PORT ?? 2580);
const messages = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', callback);
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      messages.push({
        to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
        subject: raw.match(/^Subject: (.*)$/m)?.[1] ?? '',
        // The raw message with quoted-printable soft line breaks undone: enough to read a code.
        text: raw.replace(/=\r?\n/g, ''),
      });
      callback();
    });
  },
});
smtp.listen(SMTP_PORT, '127.0.0.1');

http
  .createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://sink');
    if (url.pathname === '/health') {
      response.end('ok');
    } else if (url.pathname === '/messages') {
      const to = url.searchParams.get('to')?.toLowerCase();
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(messages.filter((message) => !to || message.to.includes(to))));
    } else {
      response.statusCode = 404;
      response.end();
    }
  })
  .listen(HTTP_PORT, '127.0.0.1');
