'use strict';
/**
 * Idempotency, refunds and worker claims hold under concurrency, on the real database:
 * each racer is a thread with a connection of its own (see race-worker.js).
 */
const assert = require('node:assert/strict');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');
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
  before(async () => {
    ctx = await startApp();
    const account = await signUp(ctx.app);
    user = await ctx.db('users').where({ id: account.id }).first();
  });
  after(() => ctx.close());

  /** @param {number} amount */
  const body = (amount) => ({ amount, currency: 'USD', card: { number: CARD_OK } });

  /**
   * Run an operation of race-worker.js in RACERS threads, released at once.
   * @param {string} operation
   * @param {Record<string, unknown>} args
   * @returns {Promise<{ok: boolean, value?: any, status?: number, message?: string}[]>}
   */
  async function race(operation, args) {
    const workerData = { url: ctx.settings.databaseUrl, operation, args };
    const workers = Array.from(
      { length: RACERS },
      () => new Worker(path.join(__dirname, 'race-worker.js'), { workerData }),
    );
    const ready = workers.map(
      (worker) =>
        new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    );
    await Promise.all(ready);
    const outcomes = workers.map(
      (worker) =>
        new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    );
    for (const worker of workers) worker.postMessage('go');
    return /** @type {Promise<any[]>} */ (Promise.all(outcomes));
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
