'use strict';
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const path = require('node:path');
const { after, before, describe, it } = require('./suites');
const { promisify } = require('node:util');

const { verifySignature } = require('../src/core/signatures');
const { backoffMs, refusedAddress, runOnce } = require('../src/services/deliveries');
const { charge, refund, startReceiver } = require('./payment-support');
const { errorFields, signUp, skipReason, startApp } = require('./support');

const DELIVERY = {
  webhookMaxAttempts: 3,
  webhookBackoffSeconds: 10,
  webhookTimeoutSeconds: 2,
  webhookAllowPrivateUrls: true,
};

describe('webhooks', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  /**
   * @param {{headers: Record<string, string>}} account
   * @param {string} url
   */
  async function register(account, url) {
    const response = await ctx.http().post('/webhooks').set(account.headers).send({ url });
    assert.equal(response.status, 201, response.text);
    return response.body;
  }

  /**
   * @param {{headers: Record<string, string>}} account
   * @param {number} webhookId
   */
  async function deliveries(account, webhookId) {
    const page = await ctx.http().get(`/webhooks/${webhookId}/deliveries`).set(account.headers);
    assert.equal(page.status, 200, page.text);
    return page.body.items;
  }

  it('show the secret once, and are private and deletable', async () => {
    const user = await signUp(ctx.app);
    const other = await signUp(ctx.app, 'other');
    const webhook = await register(user, 'https://example.com/hooks');
    assert.match(webhook.secret, /^whsec_/);
    const url = `/webhooks/${webhook.id}`;
    const read = await ctx.http().get(url).set(user.headers);
    assert.equal(read.body.secret, undefined);
    const list = await ctx.http().get('/webhooks').set(user.headers);
    assert.equal(list.body.items[0].secret, undefined);
    errorFields(await ctx.http().get(url).set(other.headers), 404);
    errorFields(await ctx.http().get(`${url}/deliveries`).set(other.headers), 404);
    errorFields(await ctx.http().delete(url).set(other.headers), 404);
    assert.equal((await ctx.http().delete(url).set(user.headers)).status, 204);
    errorFields(await ctx.http().get(url).set(user.headers), 404);
  });

  it('take only http and https URLs', async () => {
    const user = await signUp(ctx.app);
    for (const url of [
      'ftp://example.com/x',
      'not a url',
      'http://',
      'mailto:a@example.com',
      '',
      'http://u:p@example.com/',
      'http://example.com:0/',
    ]) {
      const response = await ctx.http().post('/webhooks').set(user.headers).send({ url });
      assert.ok(errorFields(response, 422).has('url'), url);
    }
  });

  it('record events in the transaction of each change, newest first', async () => {
    const user = await signUp(ctx.app);
    const payment = await charge(ctx, user);
    await refund(ctx, user, payment.id, { amount: 10 });
    const events = await ctx.http().get('/events').set(user.headers);
    assert.deepEqual(
      events.body.items.map((/** @type {any} */ e) => e.type),
      ['refund.created', 'payment.succeeded'],
    );
    assert.equal(events.body.items[0].data.payment.amount_refunded, 10);
    const filtered = await ctx.http().get('/events?type=payment.succeeded').set(user.headers);
    assert.equal(filtered.body.total, 1);
    errorFields(await ctx.http().get('/events?type=nope').set(user.headers), 422);
  });

  it('are delivered signed by the worker, to every endpoint of the merchant', async () => {
    const receiver = await startReceiver();
    try {
      const user = await signUp(ctx.app);
      const first = await register(user, receiver.url);
      const second = await register(user, receiver.url);
      const payment = await charge(ctx, user);
      assert.equal(await runOnce(ctx.db, DELIVERY), 2);
      assert.equal(await runOnce(ctx.db, DELIVERY), 0);
      assert.equal(receiver.requests.length, 2);
      const secrets = [first.secret, second.secret];
      for (const request of receiver.requests) {
        const header = String(request.headers['scaffold-signature']);
        assert.ok(secrets.some((secret) => verifySignature(secret, header, request.body)));
        assert.equal(request.headers['scaffold-event-type'], 'payment.succeeded');
        const event = JSON.parse(request.body.toString());
        assert.equal(event.data.id, payment.id);
        assert.equal(String(event.id), request.headers['scaffold-event-id']);
      }
      const [delivery] = await deliveries(user, first.id);
      assert.deepEqual(
        [delivery.status, delivery.attempt_count, delivery.event_type, delivery.next_attempt_at],
        ['succeeded', 1, 'payment.succeeded', null],
      );
      assert.deepEqual(
        delivery.attempts.map((/** @type {any} */ a) => a.status_code),
        [200],
      );
    } finally {
      await receiver.close();
    }
  });

  it('retry failed attempts with exponential backoff, up to the maximum', async () => {
    const receiver = await startReceiver([500, 503, 502, 500]);
    try {
      const user = await signUp(ctx.app);
      const webhook = await register(user, receiver.url);
      await charge(ctx, user);
      let at = new Date(Date.now() + 1000);
      assert.equal(await runOnce(ctx.db, DELIVERY, { at }), 1);
      let [delivery] = await deliveries(user, webhook.id);
      assert.deepEqual([delivery.status, delivery.last_status_code], ['pending', 500]);
      const due = new Date(delivery.next_attempt_at).getTime();
      assert.equal(due - at.getTime(), backoffMs(1, DELIVERY));
      // Not due yet: nothing is sent.
      assert.equal(await runOnce(ctx.db, DELIVERY, { at: new Date(due - 1) }), 0);
      at = new Date(due);
      assert.equal(await runOnce(ctx.db, DELIVERY, { at }), 1);
      [delivery] = await deliveries(user, webhook.id);
      assert.equal(new Date(delivery.next_attempt_at).getTime() - at.getTime(), 20_000);
      assert.equal(await runOnce(ctx.db, DELIVERY, { at: new Date(delivery.next_attempt_at) }), 1);
      [delivery] = await deliveries(user, webhook.id);
      assert.deepEqual(
        [delivery.status, delivery.attempt_count, delivery.next_attempt_at],
        ['failed', 3, null],
      );
      assert.deepEqual(
        delivery.attempts.map((/** @type {any} */ a) => a.status_code),
        [500, 503, 502],
      );
      assert.equal(await runOnce(ctx.db, DELIVERY, { at: new Date(Date.now() + 10 ** 9) }), 0);
    } finally {
      await receiver.close();
    }
  });

  it('record an unreachable endpoint as an error, and refuse private addresses when told', async () => {
    const user = await signUp(ctx.app);
    const webhook = await register(user, 'http://127.0.0.1:9/unreachable');
    await charge(ctx, user);
    assert.equal(await runOnce(ctx.db, DELIVERY), 1);
    const [delivery] = await deliveries(user, webhook.id);
    assert.equal(delivery.attempts[0].status_code, null);
    assert.ok(delivery.last_error);
    assert.match(String(await refusedAddress('http://127.0.0.1:8000/')), /non-public/);
    assert.match(String(await refusedAddress('http://[::1]:8000/')), /non-public/);
    assert.match(String(await refusedAddress('http://10.1.2.3/')), /non-public/);
    assert.equal(await refusedAddress('http://93.184.215.14/'), null);
  });

  it('are sent by the worker process (node src/worker.js --once)', async () => {
    const receiver = await startReceiver();
    try {
      const user = await signUp(ctx.app);
      const webhook = await register(user, receiver.url);
      await charge(ctx, user);
      const { stderr } = await promisify(execFile)(process.execPath, ['src/worker.js', '--once'], {
        cwd: path.join(__dirname, '..'),
        env: {
          ...process.env,
          ENVIRONMENT: 'test',
          SECRET_KEY: ctx.settings.secretKey,
          DATABASE_URL: ctx.settings.databaseUrl,
        },
        timeout: 30_000,
      });
      // The worker logs as the server does: JSON lines on stderr.
      const lines = stderr.trim().split('\n');
      const messages = lines.map((line) => JSON.parse(line).message);
      assert.equal(messages[0], 'webhook worker started');
      assert.match(
        messages[1],
        /^delivery \d+ \(event \d+ payment\.\w+\) to webhook \d+, attempt 1: status 2\d\d$/,
      );
      assert.equal(messages.at(-1), 'webhook worker stopped');
      assert.equal(receiver.requests.length, 1);
      const [delivery] = await deliveries(user, webhook.id);
      assert.equal(delivery.status, 'succeeded');
    } finally {
      await receiver.close();
    }
  });

  it('drop the deliveries of a deleted endpoint', async () => {
    const user = await signUp(ctx.app);
    const webhook = await register(user, 'https://example.com/hooks');
    await charge(ctx, user);
    const before = await ctx.db('deliveries').where({ endpoint_id: webhook.id });
    assert.equal(before.length, 1);
    await ctx.http().delete(`/webhooks/${webhook.id}`).set(user.headers);
    assert.equal((await ctx.db('deliveries').where({ endpoint_id: webhook.id })).length, 0);
  });
});
