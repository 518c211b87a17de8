'use strict';
/**
 * Idempotency, refunds and worker claims hold under concurrency, on the real database:
 * each racer is a thread with a connection of its own (see race-worker.js).
 */
const assert = require('node:assert/strict');
const path = require('node:path');
const { after, before, describe, it } = require('./suites');
const { Worker } = require('node:worker_threads');

const { runOnce } = require('../src/services/deliveries');
const payments = require('../src/services/payments');
const { CARD_OK, newKey, startReceiver } = require('./payment-support');
const { signUp, skipReason, startApp } = require('./support');

const RACERS = 5;

describe('races', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {any} */
  let user;
  /** @type {Worker[]} */
  let racers = [];
  before(async () => {
    ctx = await startApp();
    const workerData = { url: ctx.settings.databaseUrl };
    racers = Array.from(
      { length: RACERS },
      () => new Worker(path.join(__dirname, 'race-worker.js'), { workerData }),
    );
    await Promise.all(racers.map(reply));
    const account = await signUp(ctx.app);
    user = await ctx.db('users').where({ id: account.id }).first();
  });
  after(async () => {
    await Promise.all(
      racers.map((racer) => {
        const exited = new Promise((resolve) => racer.once('exit', resolve));
        racer.postMessage('close');
        return exited;
      }),
    );
    await ctx.close();
  });

  /** @param {number} amount */
  const body = (amount) => ({ amount, currency: 'USD', card: { number: CARD_OK } });

  /**
   * The next message of a racer.
   * @param {Worker} worker
   * @returns {Promise<any>}
   */
  const reply = (worker) =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });

  /**
   * Run an operation of race-worker.js in every racer at once.
   * @param {string} operation
   * @param {Record<string, unknown>} args
   * @returns {Promise<{ok: boolean, value?: any, status?: number, message?: string}[]>}
   */
  function race(operation, args) {
    const outcomes = racers.map(reply);
    for (const racer of racers) racer.postMessage({ operation, args });
    return Promise.all(outcomes);
  }

  it('charges once for concurrent retries of one key', async () => {
    const key = newKey();
    const outcomes = await race('charge', { user, body: body(777), key, settings: ctx.settings });
    const created = outcomes.filter((o) => o.ok).map((o) => o.value);
    const refused = outcomes.filter((o) => !o.ok);
    assert.ok(created.length >= 1, JSON.stringify(refused));
    for (const error of refused) assert.equal(error.status, 409, error.message);
    assert.equal(new Set(created.map((c) => JSON.stringify(c.body))).size, 1);
    assert.equal(created.filter((c) => !c.replayed).length, 1);
    const rows = await ctx.db('payments').where({ owner_id: user.id, amount: 777 });
    assert.equal(rows.length, 1);
    const entries = await ctx.db('ledger_entries').where({ payment_id: rows[0].id });
    assert.equal(entries.length, 1);
  });

  it('never refunds more than the capture', async () => {
    const charged = await payments.createPayment(ctx.db, user, body(1000), newKey(), ctx.settings);
    const paymentId = Number(charged.body.id);
    const outcomes = await race('refund', { user, paymentId, data: { amount: 300 } });
    const refused = outcomes.filter((o) => !o.ok);
    assert.equal(outcomes.length - refused.length, 3, JSON.stringify(refused));
    for (const error of refused) assert.equal(error.status, 409, error.message);
    const payment = await ctx.db('payments').where({ id: paymentId }).first();
    assert.equal(Number(payment.amount_refunded), 900);
    const entries = await ctx.db('ledger_entries').where({ payment_id: paymentId });
    assert.equal(
      entries.reduce((sum, entry) => sum + Number(entry.amount), 0),
      100,
    );
  });

  it('never lets two workers send one delivery twice', async () => {
    const receiver = await startReceiver();
    try {
      await ctx.db('webhook_endpoints').insert({
        owner_id: user.id,
        url: receiver.url,
        secret: 'whsec_race',
        created_at: new Date(),
      });
      for (let i = 0; i < 8; i += 1) {
        await payments.createPayment(ctx.db, user, body(100 + i), newKey(), ctx.settings);
      }
      const settings = {
        webhookMaxAttempts: 3,
        webhookBackoffSeconds: 10,
        webhookTimeoutSeconds: 2,
        webhookAllowPrivateUrls: true,
      };
      const outcomes = await race('deliver', { settings, limit: 3 });
      for (const outcome of outcomes) assert.ok(outcome.ok, outcome.message);
      while ((await runOnce(ctx.db, settings)) > 0);
      const ids = receiver.requests.map((r) => String(r.headers['scaffold-delivery-id']));
      assert.equal(ids.length, 8);
      assert.equal(new Set(ids).size, 8);
    } finally {
      await receiver.close();
    }
  });
});
