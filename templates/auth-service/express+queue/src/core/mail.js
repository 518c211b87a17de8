'use strict';
/**
 * Mail over SMTP (RFC 5321) with node:net and node:tls: one connection per message.
 *
 * SMTP_URL picks the server: `smtp://[user:password@]host[:port]` (port 587 by
 * default; STARTTLS when the server offers it, or always, or never: SMTP_STARTTLS), or
 * `smtps://...` (TLS from the first byte, port 465). With a user, it signs in with AUTH
 * PLAIN. Certificates are checked. A message's Message-ID is made from its outbox id
 * and creation time, so every attempt to send one message carries the same id (a
 * receiver that got it twice can tell).
 * @module core/mail
 */
const net = require('node:net');
const os = require('node:os');
const tls = require('node:tls');

/** How long the server may take to answer a command (or the connection to open). */
const REPLY_TIMEOUT_MS = 30_000;

/** A failure to send; `code` is the server's reply code when it refused. */
class SmtpError extends Error {
  /**
   * @param {string} message
   * @param {number | null} [code]
   */
  constructor(message, code = null) {
    super(message);
    this.name = 'SmtpError';
    this.code = code;
  }
}

/**
 * @typedef {{secure: boolean, host: string, port: number, user: string, password: string}} SmtpTarget
 */

/**
 * The server of an SMTP_URL.
 * @param {string} url
 * @returns {SmtpTarget}
 */
function parseSmtpUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('not a URL: write smtp://[user:password@]host[:port] or smtps://...');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error(`the scheme must be smtp or smtps, not ${parsed.protocol.slice(0, -1)}`);
  }
  if (!parsed.hostname) throw new Error('the URL names no host');
  const secure = parsed.protocol === 'smtps:';
  return {
    secure,
    // new URL keeps an IPv6 address in brackets.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/**
 * The address of a mailbox written `address` or `Name <address>`.
 * @param {string} mailbox
 * @returns {{address: string, domain: string}}
 */
function parseMailbox(mailbox) {
  if (/[\r\n]/.test(mailbox)) throw new Error('must be one line');
  const found = /<([^<>\s]+)>\s*$/.exec(mailbox);
  const address = found ? found[1] : mailbox.trim();
  const at = address.lastIndexOf('@');
  if (at < 1 || at === address.length - 1 || /[\s<>]/.test(address)) {
    throw new Error('write an address (name@example.com) or Name <name@example.com>');
  }
  return { address, domain: address.slice(at + 1) };
}

/**
 * The Message-ID of an outbox message: the same at every attempt.
 * @param {{id: number, createdAt: Date}} message
 * @param {string} domain the sender's
 */
function messageId({ id, createdAt }, domain) {
  return `<outbox.${id}.${createdAt.getTime().toString(36)}@${domain}>`;
}

/**
 * A header's value: as it is in ASCII, else an RFC 2047 encoded word.
 * @param {string} value
 */
function headerText(value) {
  if (/[\r\n]/.test(value)) throw new SmtpError('a header must be one line');
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/**
 * @typedef {object} OutgoingMessage
 * @property {number} id the outbox row's
 * @property {Date} createdAt
 * @property {string} recipient
 * @property {string} subject
 * @property {string} body plain text
 */

/**
 * The message as SMTP's DATA carries it (CRLF lines, dot-stuffed, without the final dot).
 * @param {OutgoingMessage} message
 * @param {string} from MAIL_FROM
 */
function formatMessage(message, from) {
  const { domain } = parseMailbox(from);
  const text = message.body.replace(/\r?\n/g, '\r\n');
  // Plain ASCII in short lines as it is; anything else in base64.
  const plain =
    /^[\x20-\x7e\r\n\t]*$/.test(text) && text.split('\r\n').every((l) => l.length <= 998);
  const body = plain
    ? text
    : (
        Buffer.from(text, 'utf8')
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\r\n');
  const headers = [
    `From: ${headerText(from)}`,
    `To: ${headerText(message.recipient)}`,
    `Subject: ${headerText(message.subject)}`,
    `Date: ${message.createdAt.toUTCString().replace(/GMT$/, '+0000')}`,
    `Message-ID: ${messageId(message, domain)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Transfer-Encoding: ${plain ? '7bit' : 'base64'}`,
    'Auto-Submitted: auto-generated',
  ];
  const data = `${headers.join('\r\n')}\r\n\r\n${body}`;
  // A line that starts with a dot gets another (RFC 5321 4.5.2).
  return data.replace(/^\./gm, '..');
}

/** @typedef {{code: number, lines: string[]}} Reply */

/** One SMTP conversation: the replies of the server, read as they come. */
class Conversation {
  /** @param {number} timeoutMs */
  constructor(timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.buffer = '';
    /** @type {string[]} the lines of the reply being read */
    this.lines = [];
    /** @type {Reply[]} */
    this.replies = [];
    /** @type {{resolve: (reply: Reply) => void, reject: (error: Error) => void} | null} */
    this.waiter = null;
    /** @type {Error | null} */
    this.failure = null;
    /** @type {net.Socket | null} */
    this.socket = null;
    this.onData = (/** @type {Buffer} */ chunk) => this.receive(chunk);
    this.onError = (/** @type {Error} */ error) => this.fail(error);
    this.onClose = () => this.fail(new SmtpError('the server closed the connection'));
    this.onTimeout = () =>
      this.socket?.destroy(new SmtpError(`the server did not answer within ${timeoutMs} ms`));
  }

  /**
   * Talk over `socket` from now on (the TLS socket after STARTTLS).
   * @param {net.Socket} socket
   */
  use(socket) {
    const old = this.socket;
    if (old) {
      old.off('data', this.onData).off('error', this.onError).off('close', this.onClose);
      old.setTimeout(0);
    }
    this.socket = socket;
    socket.on('data', this.onData).on('error', this.onError).on('close', this.onClose);
    socket.setTimeout(this.timeoutMs, this.onTimeout);
  }

  /** @param {Buffer} chunk */
  receive(chunk) {
    this.buffer += chunk.toString('latin1');
    let end;
    while ((end = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      const found = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!found) {
        this.fail(new SmtpError(`not an SMTP reply: ${JSON.stringify(line.slice(0, 100))}`));
        this.socket?.destroy();
        return;
      }
      this.lines.push(found[3]);
      if (found[2] !== '-') {
        this.replies.push({ code: Number(found[1]), lines: this.lines });
        this.lines = [];
      }
    }
    this.hand();
  }

  /** Give the waiting reader the next reply, or the failure. */
  hand() {
    const waiter = this.waiter;
    if (!waiter) return;
    const reply = this.replies.shift();
    if (reply) {
      this.waiter = null;
      waiter.resolve(reply);
    } else if (this.failure) {
      this.waiter = null;
      waiter.reject(this.failure);
    }
  }

  /** @param {Error} error */
  fail(error) {
    this.failure ??= error instanceof SmtpError ? error : new SmtpError(error.message);
    this.hand();
  }

  /** @returns {Promise<Reply>} */
  reply() {
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.hand();
    });
  }

  /**
   * Send a command (none: read the greeting) and read the reply, which must be `expected`.
   * @param {string | null} command
   * @param {number[]} expected
   * @param {string} [shown] the command as errors show it (no password)
   */
  async ask(command, expected, shown = command ?? 'the greeting') {
    if (command !== null) this.socket?.write(`${command}\r\n`);
    const reply = await this.reply();
    if (!expected.includes(reply.code)) {
      throw new SmtpError(
        `${shown.split(':')[0]}: the server answered ${reply.code} ${reply.lines.join(' ')}`.trim(),
        reply.code,
      );
    }
    return reply;
  }

  close() {
    this.socket?.destroy();
  }
}

/**
 * Open the connection to `target` (TLS for smtps://).
 * @param {SmtpTarget} target
 */
function connectTo(target) {
  const servername = net.isIP(target.host) ? undefined : target.host;
  return target.secure
    ? tls.connect({ host: target.host, port: target.port, servername })
    : net.connect({ host: target.host, port: target.port });
}

/**
 * The extensions an EHLO reply names (upper case keywords, with their parameters).
 * @param {Reply} reply
 */
function extensions(reply) {
  return new Map(
    reply.lines.slice(1).map((line) => {
      const [keyword, ...rest] = line.trim().split(/\s+/);
      return [keyword.toUpperCase(), rest.map((word) => word.toUpperCase())];
    }),
  );
}

/**
 * @typedef {object} SendSettings
 * @property {string} smtpUrl
 * @property {'auto' | 'always' | 'never'} smtpStarttls
 * @property {string} mailFrom
 * @property {number} [timeoutMs] how long to wait for each reply
 * @property {string} [clientName] what EHLO says (this host's name by default)
 */

/**
 * Send one message; throws SmtpError when it could not (the server refused, the
 * connection failed, a reply took too long).
 * @param {SendSettings} settings
 * @param {OutgoingMessage} message
 * @returns {Promise<string>} the server's answer to the message (its queue id, often)
 */
async function sendMail(settings, message) {
  const target = parseSmtpUrl(settings.smtpUrl);
  const sender = parseMailbox(settings.mailFrom).address;
  if (/[\s<>]/.test(message.recipient)) throw new SmtpError('not a recipient address');
  const data = formatMessage(message, settings.mailFrom);
  const name = settings.clientName ?? (os.hostname() || 'localhost');
  const talk = new Conversation(settings.timeoutMs ?? REPLY_TIMEOUT_MS);
  talk.use(connectTo(target));
  try {
    await talk.ask(null, [220]);
    let features = extensions(await talk.ask(`EHLO ${name}`, [250]));
    if (!target.secure && settings.smtpStarttls !== 'never') {
      if (features.has('STARTTLS')) {
        await talk.ask('STARTTLS', [220]);
        const servername = net.isIP(target.host) ? undefined : target.host;
        talk.use(tls.connect({ socket: /** @type {net.Socket} */ (talk.socket), servername }));
        features = extensions(await talk.ask(`EHLO ${name}`, [250]));
      } else if (settings.smtpStarttls === 'always') {
        throw new SmtpError('the server does not offer STARTTLS (SMTP_STARTTLS=always)');
      }
    }
    if (target.user) {
      if (!(features.get('AUTH') ?? []).includes('PLAIN')) {
        throw new SmtpError('the server does not offer AUTH PLAIN, and SMTP_URL has a user');
      }
      const credentials = Buffer.from(`\0${target.user}\0${target.password}`).toString('base64');
      await talk.ask(`AUTH PLAIN ${credentials}`, [235], 'AUTH PLAIN');
    }
    await talk.ask(`MAIL FROM:<${sender}>`, [250]);
    await talk.ask(`RCPT TO:<${message.recipient}>`, [250, 251]);
    await talk.ask('DATA', [354]);
    const accepted = await talk.ask(`${data}\r\n.`, [250], 'the message');
    // The message is the server's now: a failed QUIT changes nothing.
    await talk.ask('QUIT', [221]).catch(() => {});
    return accepted.lines.join(' ');
  } finally {
    talk.close();
  }
}

module.exports = {
  REPLY_TIMEOUT_MS,
  SmtpError,
  formatMessage,
  messageId,
  parseMailbox,
  parseSmtpUrl,
  sendMail,
};
