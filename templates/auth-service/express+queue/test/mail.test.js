'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const {
  SmtpError,
  formatMessage,
  messageId,
  parseMailbox,
  parseSmtpUrl,
  sendMail,
} = require('../src/core/mail');
const { connect } = require('../src/db');
const { startSink } = require('./smtp-sink');
const { freshDatabase, skipReason, testSettings } = require('./support');

const MESSAGE = {
  id: 7,
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  recipient: 'someone@example.com',
  subject: 'Reset your password',
  body: 'Reset token: abc\n.a line with a dot\nbye\n',
};

/**
 * The settings of sendMail for a server.
 * @param {string} url
 * @param {Partial<import('../src/core/mail').SendSettings>} [more]
 * @returns {import('../src/core/mail').SendSettings}
 */
function to(url, more = {}) {
  return {
    smtpUrl: url,
    smtpStarttls: 'auto',
    mailFrom: 'Service <no-reply@example.org>',
    ...more,
  };
}

/**
 * The SmtpError that `promise` fails with.
 * @param {Promise<unknown>} promise
 */
async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SmtpError, String(error));
    return error;
  }
  throw new Error('it did not fail');
}

describe('SMTP_URL and MAIL_FROM', () => {
  it('reads the server, its port and its credentials', () => {
    assert.deepEqual(parseSmtpUrl('smtp://mail.example.com'), {
      secure: false,
      host: 'mail.example.com',
      port: 587,
      user: '',
      password: '',
    });
    assert.deepEqual(parseSmtpUrl('smtps://me%40x.org:p%3Ass@[::1]:2465'), {
      secure: true,
      host: '::1',
      port: 2465,
      user: 'me@x.org',
      password: 'p:ss',
    });
    assert.equal(parseSmtpUrl('smtps://mail.example.com').port, 465);
    assert.throws(() => parseSmtpUrl('http://mail.example.com'), /smtp or smtps/);
    assert.throws(() => parseSmtpUrl('mail.example.com'), /not a URL/);
  });

  it('reads the sender, with or without a name', () => {
    assert.deepEqual(parseMailbox('Service <no-reply@example.org>'), {
      address: 'no-reply@example.org',
      domain: 'example.org',
    });
    assert.equal(parseMailbox(' a@b.c ').address, 'a@b.c');
    for (const bad of ['nobody', '@b.c', 'a@', 'a b@c.d', 'a@b.c\r\nBcc: x@y.z']) {
      assert.throws(() => parseMailbox(bad), Error, bad);
    }
  });

  it('refuses settings it cannot use', () => {
    assert.throws(() => testSettings('sqlite:///x.db', { SMTP_URL: 'http://x' }), /SMTP_URL/);
    assert.throws(() => testSettings('sqlite:///x.db', { MAIL_FROM: 'nobody' }), /MAIL_FROM/);
    const { mail } = testSettings('sqlite:///x.db', { SMTP_URL: 'smtps://m.example.com' }).kind;
    assert.equal(mail.smtpUrl, 'smtps://m.example.com');
    assert.equal(mail.smtpStarttls, 'auto');
  });
});

describe('the message', () => {
  it('has a Message-ID of its outbox row, the same at every attempt', () => {
    const data = formatMessage(MESSAGE, 'Service <no-reply@example.org>');
    const id = messageId(MESSAGE, 'example.org');
    assert.match(id, /^<outbox\.7\.[0-9a-z]+@example\.org>$/);
    assert.ok(data.includes(`\r\nMessage-ID: ${id}\r\n`));
    assert.equal(
      formatMessage(MESSAGE, 'no-reply@example.org'),
      data.replace('Service <no-reply@example.org>', 'no-reply@example.org'),
    );
    assert.notEqual(messageId({ ...MESSAGE, id: 8 }, 'example.org'), id);
    assert.ok(data.includes('\r\nDate: Fri, 02 Jan 2026 03:04:05 +0000\r\n'));
    // CRLF lines; a line that starts with a dot gets another.
    assert.ok(data.endsWith('\r\n\r\nReset token: abc\r\n..a line with a dot\r\nbye\r\n'));
  });

  it('encodes what is not ASCII', () => {
    const data = formatMessage(
      { ...MESSAGE, subject: 'Réinitialiser', body: 'Jeton : é\n' },
      'no-reply@example.org',
    );
    assert.ok(
      data.includes(`Subject: =?UTF-8?B?${Buffer.from('Réinitialiser').toString('base64')}?=`),
    );
    assert.ok(data.includes('Content-Transfer-Encoding: base64'));
    assert.ok(data.endsWith(Buffer.from('Jeton : é\r\n').toString('base64')));
    assert.throws(() => formatMessage({ ...MESSAGE, subject: 'a\nBcc: x@y.z' }, 'a@b.c'));
  });
});

describe('sending over SMTP', () => {
  /** @type {Awaited<ReturnType<typeof startSink>>[]} */
  const sinks = [];
  const sink = async (/** @type {import('./smtp-sink').SinkOptions} */ options = {}) => {
    const started = await startSink(options);
    sinks.push(started);
    return started;
  };
  after(() => Promise.all(sinks.map((s) => s.close())));

  it('sends the message as written, to the recipient', async () => {
    const server = await sink();
    const answer = await sendMail(to(server.url), MESSAGE);
    assert.match(answer, /queued as 1/);
    const [received] = server.messages;
    assert.equal(received.from, 'no-reply@example.org');
    assert.deepEqual(received.to, ['someone@example.com']);
    assert.equal(received.headers.get('subject'), 'Reset your password');
    assert.equal(received.body, 'Reset token: abc\r\n.a line with a dot\r\nbye\r\n');
  });

  it('signs in with the credentials of SMTP_URL', async () => {
    const server = await sink({ auth: { user: 'me@x.org', password: 'p:ss' } });
    await sendMail(to(`smtp://me%40x.org:p%3Ass@127.0.0.1:${server.port}`), MESSAGE);
    assert.equal(server.messages.length, 1);
    const wrong = await failure(
      sendMail(to(`smtp://me%40x.org:nope@127.0.0.1:${server.port}`), MESSAGE),
    );
    assert.equal(wrong.code, 535);
    assert.match(wrong.message, /^AUTH PLAIN: the server answered 535/);
    assert.ok(!wrong.message.includes('nope'));
    const plain = await sink();
    assert.match(
      (await failure(sendMail(to(`smtp://me:pw@127.0.0.1:${plain.port}`), MESSAGE))).message,
      /does not offer AUTH PLAIN/,
    );
  });

  it('upgrades with STARTTLS as SMTP_STARTTLS says', async () => {
    const plain = await sink();
    const refused = await failure(sendMail(to(plain.url, { smtpStarttls: 'always' }), MESSAGE));
    assert.match(refused.message, /does not offer STARTTLS/);
    assert.equal(plain.messages.length, 0);
    // The sink offers STARTTLS but cannot: auto tries it, never does not.
    const offering = await sink({ starttls: true });
    assert.equal((await failure(sendMail(to(offering.url), MESSAGE))).code, 454);
    await sendMail(to(offering.url, { smtpStarttls: 'never' }), MESSAGE);
    assert.equal(offering.messages.length, 1);
  });

  it('fails with the reply of a server that refuses', async () => {
    const server = await sink({
      refuse: (command) => (command === 'RCPT' ? '550 no such user' : null),
    });
    const refused = await failure(sendMail(to(server.url), MESSAGE));
    assert.equal(refused.code, 550);
    assert.equal(refused.message, 'RCPT TO: the server answered 550 no such user');
    const late = await sink({ refuse: (command) => (command === '.' ? '451 later' : null) });
    assert.equal((await failure(sendMail(to(late.url), MESSAGE))).code, 451);
    assert.equal(late.messages.length, 0);
  });

  it('fails when no server answers, or it says nothing', async () => {
    const down = await failure(sendMail(to('smtp://127.0.0.1:1'), MESSAGE));
    assert.match(down.message, /ECONNREFUSED/);
    const silent = await sink({ hold: 1 });
    const started = performance.now();
    const late = await failure(sendMail(to(silent.url, { timeoutMs: 300 }), MESSAGE));
    assert.match(late.message, /did not answer within 300 ms/);
    assert.ok(performance.now() - started < 5000);
    await assert.rejects(sendMail(to(silent.url), { ...MESSAGE, recipient: 'a b@c.d' }), SmtpError);
  });
});

describe('the outbox migration', { skip: skipReason() }, () => {
  /** @type {{url: string, drop: () => Promise<void>}} */
  let database;
  /** @type {import('knex').Knex} */
  let db;
  before(async () => {
    database = await freshDatabase();
    db = connect(database.url);
  });
  after(async () => {
    await db.destroy();
    await database.drop();
  });

  it('marks the messages written before it as failed, never mailed', async () => {
    // Up to the auth-service tables, a message, then the rest.
    while (!(await db.schema.hasTable('outbox'))) await db.migrate.up();
    await db('outbox').insert({
      recipient: 'old@example.com',
      subject: 'Reset your password',
      body: 'Reset token: old',
      created_at: new Date(),
    });
    await db.migrate.latest();
    const [old] = await db('outbox');
    assert.equal(old.status, 'failed');
    assert.equal(Number(old.attempts), 0);
    assert.match(old.last_error, /before mail delivery/);
    await db.migrate.down();
    assert.equal(await db.schema.hasColumn('outbox', 'status'), false);
    await db.migrate.latest();
    assert.equal(await db.schema.hasColumn('outbox', 'status'), true);
  });
});
