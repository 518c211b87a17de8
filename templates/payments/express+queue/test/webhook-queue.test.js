'use strict';
/**
 * The webhook deliveries through the job queue (feature "queue"): the real worker
 * process (node src/worker.js), the real Redis, a receiver on 127.0.0.1; each test has
 * its own database and key prefix.
 */
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const { promisify } = require('node:util');
const { after, describe, it } = require('./suites');

const { backoffMs } = require('../src/services/deliveries');
const { QUEUE, backoffStrategy, deliveryJob } = require('../src/services/delivery-jobs');
const { charge, startReceiver } = require('./payment-support');
const { dropQueue, lookAt, newPrefix, startWorker, waitFor } = require('./queue-support');
const { REDIS_URL, UNREACHABLE, redisSkipReason } = require('./redis-support');
const { signUp, startApp } = require('./support');

/** @type {(() => Promise<unknown>)[]} */
const cleanups = [];

/**
 * An app on a database and a queue prefix of its own.
 * @param {Record<string, string>} [extra]
 */
async function queuedApp(extra = {}) {
  const prefix = newPrefix();
  const ctx = await startApp({ REDIS_URL, QUEUE_PREFIX: prefix, ...extra });
  cleanups.push(
    () => ctx.close(),
    () => dropQueue(prefix, QUEUE),
  );
  const env = {
    ENVIRONMENT: 'test',
    SECRET_KEY: ctx.settings.secretKey,
    DATABASE_URL: ctx.settings.databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    QUEUE_SWEEP_SECONDS: '3600',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  };
  return { ctx, prefix, env };
}

/**
 * The worker with `env`, stopped (killed if need be) when the tests are done.
 * @param {Record<string, string>} env
 */
function worker(env) {
  const started = startWorker(env);
  cleanups.push(() => started.stop('SIGKILL'));
  return started;
}

/**
 * A webhook of `account` to `url`.
 * @param {any} ctx
 * @param {{headers: Record<string, string>}} account
 * @param {string} url
 */
async function register(ctx, account, url) {
  const response = await ctx.http().post('/webhooks').set(account.headers).send({ url });
  assert.equal(response.status, 201, response.text);
  return response.body;
}

/**
 * The deliveries of a webhook, each with its attempts.
 * @param {any} ctx
 * @param {{headers: Record<string, string>}} account
 * @param {number} webhookId
 */
async function deliveries(ctx, account, webhookId) {
  const page = await ctx.http().get(`/webhooks/${webhookId}/deliveries`).set(account.headers);
  assert.equal(page.status, 200, page.text);
  return page.body.items;
}

/**
 * Wait until every delivery of the webhook has the status `status`.
 * @param {any} ctx
 * @param {{headers: Record<string, string>}} account
 * @param {number} webhookId
 * @param {string} status
 * @param {number} [ms]
 */
function settled(ctx, account, webhookId, status, ms = 30_000) {
  return waitFor(
    async () => {
      const items = await deliveries(ctx, account, webhookId);
      return items.length && items.every((/** @type {any} */ d) => d.status === status) && items;
    },
    ms,
    `deliveries ${status}`,
  );
}

describe('webhooks through the queue', { skip: redisSkipReason() }, () => {
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('are added at the commit and delivered at once, not by the sweeper', async () => {
    const { ctx, prefix, env } = await queuedApp();
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const queue = lookAt(prefix, QUEUE);
    cleanups.push(() => queue.close());
    const user = await signUp(ctx.app);
    const webhook = await register(ctx, user, receiver.url);
    await charge(ctx, user);
    // In the queue once the request is done (its handler answers before it returns).
    const [delivery] = await deliveries(ctx, user, webhook.id);
    const jobId = `delivery-${delivery.id}-1`;
    await waitFor(async () => (await queue.getJobState(jobId)) === 'waiting', 2000, jobId);
    const running = worker(env);
    await settled(ctx, user, webhook.id, 'succeeded', 10_000);
    // Once the worker runs, a new event is delivered in moments (the sweeper waits an hour).
    await charge(ctx, user);
    const started = Date.now();
    const items = await settled(ctx, user, webhook.id, 'succeeded', 5000);
    assert.ok(Date.now() - started < 5000);
    assert.equal(items.length, 2);
    assert.equal(receiver.requests.length, 2);
    assert.ok(!running.messages.some((m) => m.startsWith('sweeper:')), running.messages.join());
    assert.equal(await queue.getJobState(`delivery-${items[0].id}-1`), 'completed');
    const stopped = await running.stop();
    assert.equal(stopped.code, 0);
    assert.equal(running.messages.at(-1), 'webhook worker stopped');
  });

  it('still answer 201 while Redis is down, and the sweeper delivers them later', async () => {
    const { ctx, prefix, env } = await queuedApp({ REDIS_URL: UNREACHABLE });
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const user = await signUp(ctx.app);
    const webhook = await register(ctx, user, receiver.url);
    await charge(ctx, user);
    await charge(ctx, user);
    const warned = ctx.logLines
      .map((line) => JSON.parse(line))
      .filter((line) => line.level === 'warn');
    assert.equal(warned.length, 1, ctx.logLines.join('\n'));
    assert.match(warned[0].message, /jobs are left to the sweeper/);
    const queue = lookAt(prefix, QUEUE);
    cleanups.push(() => queue.close());
    assert.equal(await queue.count(), 0);
    const running = worker({ ...env, QUEUE_SWEEP_SECONDS: '1' });
    const items = await settled(ctx, user, webhook.id, 'succeeded');
    assert.equal(items.length, 2);
    assert.equal(receiver.requests.length, 2);
    await running.said(/^sweeper: enqueued 2 due deliveries that had no job$/);
  });

  it('are retried with backoff, then failed and kept in the failed set', async () => {
    const { ctx, prefix, env } = await queuedApp();
    const receiver = await startReceiver([500, 503, 502, 500]);
    cleanups.push(() => receiver.close());
    const settings = { ...ctx.settings.kind, webhookBackoffSeconds: 0.3 };
    worker({ ...env, WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_BACKOFF_SECONDS: '0.3' });
    const user = await signUp(ctx.app);
    const webhook = await register(ctx, user, receiver.url);
    await charge(ctx, user);
    const [delivery] = await settled(ctx, user, webhook.id, 'failed');
    assert.deepEqual(
      [delivery.attempt_count, delivery.next_attempt_at, delivery.last_status_code],
      [3, null, 502],
    );
    /** @type {{status_code: number, attempted_at: string}[]} */
    const attempts = delivery.attempts;
    assert.deepEqual(
      attempts.map((a) => a.status_code),
      [500, 503, 502],
    );
    // Each retry when the database said: the backoff after it, doubling.
    for (let i = 1; i < attempts.length; i += 1) {
      const gap = Date.parse(attempts[i].attempted_at) - Date.parse(attempts[i - 1].attempted_at);
      assert.ok(gap >= backoffMs(i, settings), `retry ${i} after ${gap} ms`);
      assert.ok(gap < backoffMs(i, settings) + 3000, `retry ${i} after ${gap} ms`);
    }
    assert.equal(receiver.requests.length, 3);
    const queue = lookAt(prefix, QUEUE);
    cleanups.push(() => queue.close());
    const failed = await waitFor(() => queue.getFailed(), 5000, 'the failed set');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].id, `delivery-${delivery.id}-1`);
    assert.equal(failed[0].attemptsMade, 3);
    assert.match(String(failed[0].failedReason), /^attempts used up: the endpoint answered 502$/);
  });

  it('are delivered once, with the same event id, after their worker is killed mid-attempt', async () => {
    const { ctx, env } = await queuedApp();
    /** @type {{headers: http.IncomingHttpHeaders}[]} */
    const requests = [];
    // Holds the first request unanswered; answers the others 200.
    const receiver = http.createServer((req, res) => {
      requests.push({ headers: req.headers });
      req.resume();
      if (requests.length > 1) res.end();
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(undefined)));
    cleanups.push(() => new Promise((resolve) => receiver.close(resolve)));
    cleanups.push(async () => receiver.closeAllConnections());
    const url = `http://127.0.0.1:${/** @type {any} */ (receiver.address()).port}/hooks`;
    const workerEnv = { ...env, WEBHOOK_TIMEOUT_SECONDS: '2' };
    const first = worker(workerEnv);
    const user = await signUp(ctx.app);
    const webhook = await register(ctx, user, url);
    await charge(ctx, user);
    await waitFor(() => requests.length === 1, 10_000, 'the first attempt');
    await first.stop('SIGKILL');
    const second = worker(workerEnv);
    const [delivery] = await settled(ctx, user, webhook.id, 'succeeded', 60_000);
    assert.equal(requests.length, 2);
    const ids = requests.map((r) => r.headers['scaffold-event-id']);
    assert.equal(ids[0], ids[1]);
    assert.equal(requests[1].headers['scaffold-delivery-id'], String(delivery.id));
    // The killed attempt was never recorded; the one that answered was.
    assert.equal(delivery.attempt_count, 1);
    const events = await ctx.http().get('/events').set(user.headers);
    assert.equal(events.body.total, 1);
    assert.equal(String(events.body.items[0].id), ids[0]);
    assert.ok(!second.messages.some((m) => m.startsWith('sweeper:')), second.messages.join());
  });

  it('have a worker that answers --health from its heartbeat', async () => {
    const { env } = await queuedApp();
    const health = async () => {
      try {
        await promisify(execFile)(process.execPath, ['src/worker.js', '--health'], {
          cwd: path.join(__dirname, '..'),
          env: { ...process.env, ...env },
        });
        return 0;
      } catch (error) {
        return Number(/** @type {any} */ (error).code);
      }
    };
    assert.equal(await health(), 1);
    const running = worker(env);
    await waitFor(async () => (await health()) === 0, 20_000, 'a fresh heartbeat');
    assert.equal((await running.stop()).code, 0);
    assert.equal(await health(), 1);
  });
});

describe('the jobs of deliveries', () => {
  it('are named by delivery and attempt, and wait for the retry the database schedules', () => {
    const job = deliveryJob(7, 2);
    assert.equal(job.opts.jobId, 'delivery-7-3');
    assert.deepEqual(job.earlier, ['delivery-7-1', 'delivery-7-2']);
    assert.deepEqual(job.data, { deliveryId: 7 });
    const settings = {
      webhookMaxAttempts: 3,
      webhookBackoffSeconds: 10,
      webhookTimeoutSeconds: 2,
      webhookAllowPrivateUrls: true,
    };
    const strategy = backoffStrategy(settings);
    // Without a time from the database (it did not answer): the backoff of the attempts.
    assert.equal(strategy(2, 'custom', new Error('database down')), 20_000);
  });
});
