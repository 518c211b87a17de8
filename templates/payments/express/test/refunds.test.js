'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { CARD_DECLINED, CARD_NO_FUNDS, charge, refund } = require('./payment-support');
const { errorFields, makeAdmin, signUp, skipReason, startApp } = require('./support');

describe('refunds and the ledger', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  it('refund in part, then the rest, and never more', async () => {
    const user = await signUp(ctx.app);
    const payment = await charge(ctx, user, { amount: 1000 });
    const first = await refund(ctx, user, payment.id, { amount: 400, reason: 'late' });
    assert.equal(first.status, 201, first.text);
    assert.deepEqual(
      [first.body.amount, first.body.currency, first.body.payment_id, first.body.reason],
      [400, 'USD', payment.id, 'late'],
    );
    const url = `/payments/${payment.id}`;
    let read = await ctx.http().get(url).set(user.headers);
    assert.deepEqual([read.body.status, read.body.amount_refunded], ['partially_refunded', 400]);
    errorFields(await refund(ctx, user, payment.id, { amount: 601 }), 409);
    const rest = await refund(ctx, user, payment.id);
    assert.equal(rest.body.amount, 600);
    read = await ctx.http().get(url).set(user.headers);
    assert.deepEqual([read.body.status, read.body.amount_refunded], ['refunded', 1000]);
    assert.equal(read.body.amount_captured, 1000);
    errorFields(await refund(ctx, user, payment.id, { amount: 1 }), 409);
    errorFields(await refund(ctx, user, payment.id), 409);
    const listed = await ctx.http().get(`${url}/refunds`).set(user.headers);
    assert.deepEqual(
      listed.body.items.map((/** @type {any} */ r) => r.amount),
      [600, 400],
    );
  });

  it('refuse payments that did not succeed', async () => {
    const user = await signUp(ctx.app);
    const failed = await charge(ctx, user, { card: { number: CARD_DECLINED } });
    errorFields(await refund(ctx, user, failed.id, { amount: 1 }), 409);
    errorFields(await refund(ctx, user, failed.id), 409);
  });

  it('validate the amount and the fields', async () => {
    const user = await signUp(ctx.app);
    const payment = await charge(ctx, user);
    for (const [body, field] of /** @type {[any, string][]} */ ([
      [{ amount: 1.5 }, 'amount'],
      [{ amount: '5' }, 'amount'],
      [{ amount: 0 }, 'amount'],
      [{ reason: 'x'.repeat(201) }, 'reason'],
      [{ status: 'refunded' }, 'status'],
    ])) {
      const response = await refund(ctx, user, payment.id, body);
      assert.ok(errorFields(response, 422).has(field), `${field}: ${response.text}`);
    }
    const float = await ctx
      .http()
      .post(`/payments/${payment.id}/refunds`)
      .set(user.headers)
      .set('Content-Type', 'application/json')
      .send('{"amount": 5.0}');
    assert.ok(errorFields(float, 422).has('amount'));
  });

  it('let an admin refund any payment', async () => {
    const user = await signUp(ctx.app);
    const admin = await makeAdmin(ctx);
    const payment = await charge(ctx, user, { amount: 300 });
    const response = await refund(ctx, admin, payment.id, { amount: 100 });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.owner_id, user.id);
    const balance = await ctx.http().get('/balance').set(user.headers);
    assert.deepEqual(balance.body.balances, [
      { currency: 'USD', captured: 300, refunded: 100, net: 200 },
    ]);
  });

  it('keep the balance equal to the ledger and to the payments', async () => {
    const user = await signUp(ctx.app);
    const other = await signUp(ctx.app, 'other');
    assert.deepEqual((await ctx.http().get('/balance').set(user.headers)).body, { balances: [] });
    const usd = await charge(ctx, user, { amount: 1500 });
    await charge(ctx, user, { amount: 250 });
    const eur = await charge(ctx, user, { amount: 990, currency: 'EUR' });
    await charge(ctx, user, { amount: 5000, card: { number: CARD_NO_FUNDS } });
    await charge(ctx, other, { amount: 424242 });
    assert.equal((await refund(ctx, user, usd.id, { amount: 500 })).status, 201);
    assert.equal((await refund(ctx, user, eur.id)).status, 201);
    const balance = await ctx.http().get('/balance').set(user.headers);
    assert.deepEqual(balance.body.balances, [
      { currency: 'EUR', captured: 990, refunded: 990, net: 0 },
      { currency: 'USD', captured: 1750, refunded: 500, net: 1250 },
    ]);
    const ledger = await ctx.http().get('/ledger?limit=100').set(user.headers);
    assert.equal(ledger.body.total, 5);
    assert.deepEqual(
      ledger.body.items.map((/** @type {any} */ e) => [e.type, e.amount]),
      [
        ['refund', -990],
        ['refund', -500],
        ['charge', 990],
        ['charge', 250],
        ['charge', 1500],
      ],
    );
    const forUsd = await ctx.http().get(`/ledger?payment_id=${usd.id}`).set(user.headers);
    assert.equal(forUsd.body.total, 2);
    const euros = await ctx.http().get('/ledger?currency=EUR').set(user.headers);
    assert.equal(euros.body.total, 2);
    errorFields(await ctx.http().get('/ledger?currency=eur').set(user.headers), 422);
    errorFields(await ctx.http().get('/balance'), 401);
  });

  it('sum the balance exactly beyond 2^53', async () => {
    const user = await signUp(ctx.app, 'big');
    // 9 x 10^15 + 7199254740993 = 2^53 + 1, which a JavaScript number rounds to 2^53.
    const amounts = [...Array(9).fill(10 ** 15), 7199254740993];
    const charged = [];
    for (const amount of amounts) charged.push(await charge(ctx, user, { amount }));
    assert.equal((await refund(ctx, user, charged[0].id, { amount: 2 })).status, 201);
    const response = await ctx.http().get('/balance').set(user.headers);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /^application\/json/);
    const captured = 9n * 10n ** 15n + 7199254740993n;
    assert.equal(captured, 2n ** 53n + 1n);
    assert.equal(
      response.text,
      `{"balances":[{"currency":"USD","captured":${captured},"refunded":2,"net":${captured - 2n}}]}`,
    );
  });
});
