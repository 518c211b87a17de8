'use strict';
/**
 * The password reset's mail through the queue: the app on a database of its own, the
 * real worker (`node src/worker.js`) in a process of its own, Redis of TEST_REDIS_URL
 * under keys of each test (QUEUE_PREFIX), and an SMTP sink (test/smtp-sink.js).
 */
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { after, describe, it } = require('./suites');

const { healthy, heartbeatFile } = require('../src/core/queue');
const { QUEUE } = require('../src/services/mail-jobs');
const { dropQueue, lookAt, newPrefix: queuePrefix, waitFor } = require('./queue-support');
const { REDIS_URL, UNREACHABLE, redisSkipReason } = require('./redis-support');
const overrides = require('./settings-overrides');
const { startSink } = require('./smtp-sink');
const { signUp, startApp } = require('./support');

const NEW_PASSWORD = 'test-password-3';

/**
 * Wait until `check` answers something truthy (within `ms`), and answer it.
 * @template T
 * @param {() => Promise<T> | T} check
 * @param {string} what for the error
 * @param {number} [ms]
 * @returns {Promise<T>}
 */
function eventually(check, what, ms = 30_000) {
  return waitFor(check, ms, what);
}

/** Everything one test opened: closed by the suite's after(). */
const opened = /** @type {(() => Promise<unknown>)[]} */ ([]);

/** A QUEUE_PREFIX of its own, its keys removed at the end. */
function newPrefix() {
  const prefix = queuePrefix();
  opened.push(() => dropQueue(prefix, QUEUE));
  return prefix;
}

/**
 * The app with the queue on `redisUrl`, under `prefix`.
 * @param {string} prefix
 * @param {string} [redisUrl]
 */
async function app(prefix, redisUrl = REDIS_URL) {
  const ctx = await startApp({ REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });
  opened.push(() => ctx.close());
  return ctx;
}

/**
 * The worker (`node src/worker.js`) on the app's database and the queue of `prefix`,
 * once its heartbeat says it runs; `stop()` sends SIGTERM, `kill()` SIGKILL.
 * @param {Awaited<ReturnType<typeof startApp>>} ctx
 * @param {string} prefix
 * @param {Record<string, string>} settings
 */
async function startWorker(ctx, prefix, settings) {
  const child = spawn(process.execPath, [path.join('src', 'worker.js')], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      ...overrides,
      ENVIRONMENT: 'test',
      SECRET_KEY: 'test-secret-key-that-is-long-enough-for-hs256',
      DATABASE_URL: ctx.settings.databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      QUEUE_SWEEP_SECONDS: '60',
      MAIL_FROM: 'Tests <no-reply@example.org>',
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (running()) child.kill('SIGTERM');
    return exited;
  };
  opened.push(stop);
  await eventually(
    () => !running() || healthy(heartbeatFile(prefix)),
    'the worker keeps its heartbeat',
  );
  assert.ok(running(), `the worker exited:\n${output}`);
  return {
    stop,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    log: () => output,
  };
}

/**
 * A new account asks for a reset: its email and the id of the outbox message.
 * @param {Awaited<ReturnType<typeof startApp>>} ctx
 */
async function askReset(ctx) {
  const account = await signUp(ctx.app);
  const started = performance.now();
  const asked = await ctx.http().post('/auth/password-reset').send({ email: account.email });
  assert.equal(asked.status, 202);
  const row = await ctx.db('outbox').where({ recipient: account.email }).first();
  return { email: account.email, id: Number(row.id), ms: performance.now() - started };
}

/**
 * @param {Awaited<ReturnType<typeof startApp>>} ctx
 * @param {number} id
 */
function message(ctx, id) {
  return ctx.db('outbox').where({ id }).first();
}

describe('password reset mail through the queue', { skip: redisSkipReason() }, () => {
  after(async () => {
    for (const close of opened.reverse()) await close().catch(() => {});
  });

  it('mails the token as the request commits, and the token sets the password', async () => {
    const sink = await startSink();
    opened.push(() => sink.close());
    const prefix = newPrefix();
    const ctx = await app(prefix);
    // The sweeper looks only at start and in a minute: the queue carries the job.
    const worker = await startWorker(ctx, prefix, { SMTP_URL: sink.url });
    const { email, id } = await askReset(ctx);
    const mail = await sink.waitFor((m) => m.to[0] === email);
    assert.equal(mail.from, 'no-reply@example.org');
    assert.equal(mail.headers.get('subject'), 'Reset your password');
    assert.match(
      /** @type {string} */ (mail.headers.get('message-id')),
      new RegExp(`^<outbox\\.${id}\\.`),
    );
    const token = /Reset token: (\S+)/.exec(mail.body)?.[1];
    assert.ok(token, mail.body);
    const confirmed = await ctx
      .http()
      .post('/auth/password-reset/confirm')
      .send({ token, new_password: NEW_PASSWORD });
    assert.equal(confirmed.status, 204);
    const login = await ctx.http().post('/auth/login').send({ email, password: NEW_PASSWORD });
    assert.equal(login.status, 200);
    const row = await eventually(async () => {
      const current = await message(ctx, id);
      return current.status === 'sent' && current;
    }, 'the message is marked sent');
    assert.equal(Number(row.attempts), 1);
    assert.ok(row.sent_at);
    assert.equal(row.last_error, null);
    assert.equal(sink.messages.length, 1);
    assert.match(worker.log(), new RegExp(`message ${id} sent`));
    assert.equal(await worker.stop(), 0);
  });

  it('tries again with backoff while SMTP is down, then fails the message', async () => {
    const prefix = newPrefix();
    const ctx = await app(prefix);
    // Nothing listens on port 1.
    await startWorker(ctx, prefix, {
      SMTP_URL: 'smtp://127.0.0.1:1',
      MAIL_MAX_ATTEMPTS: '3',
      MAIL_BACKOFF_SECONDS: '0.3',
    });
    const started = performance.now();
    const { id } = await askReset(ctx);
    const row = await eventually(async () => {
      const current = await message(ctx, id);
      return current.status === 'failed' && current;
    }, 'the message is marked failed');
    // Waited 0.3 s, then 0.6 s between the three attempts.
    assert.ok(performance.now() - started >= 900, `${performance.now() - started} ms`);
    assert.equal(Number(row.attempts), 3);
    assert.match(row.last_error, /ECONNREFUSED/);
    assert.equal(row.sent_at, null);
    const queue = lookAt(prefix, QUEUE);
    try {
      assert.equal(await queue.getJobState(`mail-${id}`), 'failed');
      const job = await queue.getJob(`mail-${id}`);
      assert.equal(job?.attemptsMade, 3);
      assert.match(String(job?.failedReason), /attempts used up/);
    } finally {
      await queue.close();
    }
  });

  it('answers 202 while Redis is down, and the sweeper sends it later', async () => {
    const sink = await startSink();
    opened.push(() => sink.close());
    const prefix = newPrefix();
    const ctx = await app(prefix, UNREACHABLE);
    const { email, id, ms } = await askReset(ctx);
    assert.ok(ms < 5000, `${ms} ms`);
    assert.equal((await message(ctx, id)).status, 'pending');
    assert.ok(ctx.logLines.some((line) => line.includes('jobs are left to the sweeper')));
    // No job in the queue: only the sweeper can find it.
    const queue = lookAt(prefix, QUEUE);
    try {
      assert.equal(await queue.getJobState(`mail-${id}`), 'unknown');
    } finally {
      await queue.close();
    }
    const worker = await startWorker(ctx, prefix, {
      SMTP_URL: sink.url,
      QUEUE_SWEEP_SECONDS: '0.5',
    });
    await sink.waitFor((m) => m.to[0] === email);
    await eventually(async () => (await message(ctx, id)).status === 'sent', 'marked sent');
    assert.match(worker.log(), /sweeper: enqueued 1 pending/);
  });

  it('sends what a killed worker held, once another worker runs', async () => {
    // The first connection gets the greeting, then silence: the worker waits in it.
    const sink = await startSink({ hold: 1 });
    opened.push(() => sink.close());
    const prefix = newPrefix();
    const ctx = await app(prefix);
    const first = await startWorker(ctx, prefix, { SMTP_URL: sink.url });
    const { email, id } = await askReset(ctx);
    await eventually(() => sink.connections >= 1, 'the worker connects to the sink');
    await first.kill();
    assert.equal((await message(ctx, id)).status, 'pending');
    // Its job is active, under a lock that runs out: BullMQ gives it to the next worker.
    await startWorker(ctx, prefix, { SMTP_URL: sink.url });
    const mail = await sink.waitFor((m) => m.to[0] === email, 60_000);
    assert.match(mail.body, /Reset token: \S+/);
    const row = await eventually(async () => {
      const current = await message(ctx, id);
      return current.status === 'sent' && current;
    }, 'the message is marked sent');
    assert.equal(Number(row.attempts), 1);
    assert.equal(sink.messages.length, 1);
  });
});
