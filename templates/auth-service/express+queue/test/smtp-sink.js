'use strict';
/**
 * A small SMTP server for the tests (node:net): it keeps the messages it accepts, and
 * can be told to sign in its clients, to refuse, or to hold a connection unanswered.
 */
const net = require('node:net');

/**
 * @typedef {object} Received
 * @property {string} from the envelope's sender
 * @property {string[]} to the envelope's recipients
 * @property {string} data the message, dot-stuffing undone, CRLF lines
 * @property {Map<string, string>} headers lower-case names
 * @property {string} body
 */

/**
 * @typedef {object} SinkOptions
 * @property {{user: string, password: string}} [auth] AUTH PLAIN with these, required
 * @property {boolean} [starttls] offer STARTTLS (and refuse it: 454)
 * @property {(command: string) => string | null} [refuse] the reply to a command
 *   (`MAIL`, `RCPT`, `DATA`, `.` for the message) instead of accepting it, or null
 * @property {number} [hold] connections (the first ones) left unanswered after the greeting
 */

/**
 * The message's headers and body.
 * @param {string} data
 */
function parse(data) {
  const split = data.indexOf('\r\n\r\n');
  const head = data.slice(0, split);
  /** @type {Map<string, string>} */
  const headers = new Map();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: data.slice(split + 4) };
}

/**
 * Start a sink on a free port of 127.0.0.1.
 * @param {SinkOptions} [options]
 */
async function startSink(options = {}) {
  /** @type {Received[]} */
  const messages = [];
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  let connections = 0;
  let held = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    connections += 1;
    socket.write('220 sink ready\r\n');
    if (held < (options.hold ?? 0)) {
      held += 1;
      return;
    }
    converse(socket);
  });

  /** @param {net.Socket} socket */
  function converse(socket) {
    let buffer = '';
    let signedIn = !options.auth;
    /** @type {{from: string, to: string[]} | null} */
    let envelope = null;
    /** @type {string[] | null} the message's lines while DATA reads them */
    let reading = null;
    const say = (/** @type {string} */ line) => socket.write(`${line}\r\n`);
    const refusal = (/** @type {string} */ command) => options.refuse?.(command) ?? null;

    /** @param {string} line */
    function command(line) {
      const verb = line.split(' ')[0].toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') {
        const lines = ['sink'];
        if (options.auth) lines.push('AUTH PLAIN');
        if (options.starttls) lines.push('STARTTLS');
        lines.push('8BITMIME');
        lines.forEach((text, i) => say(`250${i === lines.length - 1 ? ' ' : '-'}${text}`));
      } else if (verb === 'STARTTLS') {
        say('454 TLS not available here');
      } else if (verb === 'AUTH') {
        const decoded = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString();
        const [, user, password] = decoded.split('\0');
        signedIn = user === options.auth?.user && password === options.auth?.password;
        say(signedIn ? '235 signed in' : '535 wrong credentials');
      } else if (verb === 'MAIL') {
        if (!signedIn) return say('530 sign in first');
        const refused = refusal('MAIL');
        if (refused) return say(refused);
        envelope = { from: /<(.*)>/.exec(line)?.[1] ?? '', to: [] };
        say('250 sender ok');
      } else if (verb === 'RCPT') {
        if (!envelope) return say('503 MAIL first');
        const refused = refusal('RCPT');
        if (refused) return say(refused);
        envelope.to.push(/<(.*)>/.exec(line)?.[1] ?? '');
        say('250 recipient ok');
      } else if (verb === 'DATA') {
        if (!envelope?.to.length) return say('503 RCPT first');
        const refused = refusal('DATA');
        if (refused) return say(refused);
        reading = [];
        say('354 go on');
      } else if (verb === 'RSET' || verb === 'NOOP') {
        envelope = null;
        say('250 ok');
      } else if (verb === 'QUIT') {
        say('221 bye');
        socket.end();
      } else {
        say('502 not implemented');
      }
    }

    /** @param {string} line */
    function dataLine(line) {
      const lines = /** @type {string[]} */ (reading);
      if (line !== '.') {
        lines.push(line.startsWith('.') ? line.slice(1) : line);
        return;
      }
      reading = null;
      const refused = refusal('.');
      if (refused) return say(refused);
      const data = lines.join('\r\n');
      const { from, to } = /** @type {{from: string, to: string[]}} */ (envelope);
      messages.push({ from, to, data, ...parse(data) });
      envelope = null;
      say(`250 queued as ${messages.length}`);
    }

    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (reading) dataLine(line);
        else command(line);
      }
    });
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** How many connections it took. */
    get connections() {
      return connections;
    },
    /**
     * The first message `match` accepts, once it came (within `ms`).
     * @param {(message: Received) => boolean} match
     * @param {number} [ms]
     */
    async waitFor(match, ms = 20_000) {
      const until = Date.now() + ms;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no such message within ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

module.exports = { startSink };
