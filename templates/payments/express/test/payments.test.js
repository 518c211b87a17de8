'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const {
  CARD_DECLINED,
  CARD_MASTERCARD,
  CARD_NO_FUNDS,
  CARD_OK,
  charge,
  newKey,
  paymentBody,
  postPayment,
} = require('./payment-support');
const {
  NOT_JSON_INTEGERS,
  errorFields,
  makeAdmin,
  rawJson,
  signUp,
  skipReason,
  startApp,
} = require('./support');

describe('payments', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {Awaited<ReturnType<typeof signUp>>} */
  let user;
  before(async () => {
    ctx = await startApp();
    user = await signUp(ctx.app);
  });
  after(() => ctx.close());

  /** @param {{headers: Record<string, string>}} account */
  const total = async (account) =>
    (await ctx.http().get('/payments').set(account.headers)).body.total;

  it('let the test cards decide the outcome', async () => {
    /** @type {[string, string, string, string | null][]} */
    const cards = [
      [CARD_OK, 'succeeded', 'visa', null],
      [CARD_MASTERCARD, 'succeeded', 'mastercard', null],
      [CARD_DECLINED, 'failed', 'visa', 'card_declined'],
      [CARD_NO_FUNDS, 'failed', 'visa', 'insufficient_funds'],
    ];
    for (const [number, status, brand, failure] of cards) {
      const response = await postPayment(ctx, user, paymentBody({ card: { number } }));
      assert.equal(response.status, 201, response.text);
      const payment = response.body;
      assert.equal(payment.status, status);
      assert.equal(payment.failure_code, failure);
      assert.deepEqual(payment.card, {
        brand,
        last4: number.slice(-4),
        exp_month: null,
        exp_year: null,
      });
      assert.equal(payment.amount_captured, status === 'succeeded' ? 1000 : 0);
      assert.ok(!response.text.includes(number));
      const read = await ctx.http().get(`/payments/${payment.id}`).set(user.headers);
      assert.deepEqual(read.body, payment);
    }
  });

  it('never store the card number or the cvc', async () => {
    const card = { number: '4242-4242-4242-4242', exp_month: 12, exp_year: 2099, cvc: '913' };
    const payment = await charge(ctx, user, { card });
    assert.deepEqual(payment.card, { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2099 });
    const tables = ['payments', 'idempotency_keys', 'events'];
    for (const table of tables) {
      const dump = JSON.stringify(await ctx.db(table).select());
      assert.ok(!dump.includes(CARD_OK), table);
      assert.ok(!dump.includes('"913"') && !dump.includes('cvc'), table);
    }
  });

  it('validate money, cards and fields, without charging', async () => {
    const before = await total(user);
    for (const [body, field] of /** @type {[any, string][]} */ ([
      [paymentBody({ card: { number: '4242424242424241' } }), 'card.number'],
      [paymentBody({ card: { number: '12' } }), 'card.number'],
      [paymentBody({ card: { number: Number(CARD_OK) } }), 'card.number'],
      [paymentBody({ card: { number: CARD_OK, exp_month: 1, exp_year: 2001 } }), 'card'],
      [paymentBody({ card: { number: CARD_OK, exp_month: 1 } }), 'card'],
      [paymentBody({ card: { number: CARD_OK, exp_month: 13, exp_year: 2099 } }), 'card.exp_month'],
      [paymentBody({ card: { number: CARD_OK, cvc: '1' } }), 'card.cvc'],
      [paymentBody({ amount: 10.5 }), 'amount'],
      [paymentBody({ amount: '1000' }), 'amount'],
      [paymentBody({ amount: 0 }), 'amount'],
      [paymentBody({ amount: 10 ** 16 }), 'amount'],
      [paymentBody({ currency: 'usd' }), 'currency'],
      [paymentBody({ currency: 'ABC' }), 'currency'],
      [paymentBody({ status: 'succeeded' }), 'status'],
      [paymentBody({ description: 'nul \u0000' }), 'description'],
      [paymentBody({ customer_id: 999999 }), 'customer_id'],
      [{ amount: 100, currency: 'USD' }, 'card'],
    ])) {
      const response = await postPayment(ctx, user, body);
      assert.ok(errorFields(response, 422).has(field), `${field}: ${response.text}`);
    }
    const float = await ctx
      .http()
      .post('/payments')
      .set(user.headers)
      .set('Idempotency-Key', newKey())
      .set('Content-Type', 'application/json')
      .send('{"amount": 10.0, "currency": "USD", "card": {"number": "4242424242424242"}}');
    assert.ok(errorFields(float, 422).has('amount'), float.text);
    for (const content of ['{', '[]', 'null', '"x"', '{"amount": 1e400}']) {
      const response = await ctx
        .http()
        .post('/payments')
        .set(user.headers)
        .set('Idempotency-Key', newKey())
        .set('Content-Type', 'application/json')
        .send(content);
      errorFields(response, 422);
    }
    assert.equal(await total(user), before);
  });

  it('need a token and an Idempotency-Key header', async () => {
    errorFields(await ctx.http().get('/payments'), 401);
    const before = await total(user);
    for (const key of [undefined, '', 'k'.repeat(256), 'caf\u00e9']) {
      const request = ctx.http().post('/payments').set(user.headers);
      if (key !== undefined) request.set('Idempotency-Key', key);
      const response = await request.send(paymentBody());
      errorFields(response, 400);
      assert.match(response.body.detail, /Idempotency-Key/);
    }
    assert.equal(await total(user), before);
  });

  it('describe the Idempotency-Key header in the OpenAPI document', async () => {
    const document = (await ctx.http().get('/openapi.json')).body;
    /** @param {string} method */
    const headers = (method) =>
      document.paths['/payments'][method].parameters.filter(
        (/** @type {any} */ p) => p.in === 'header',
      );
    const [header, ...others] = headers('post');
    assert.deepEqual(others, []);
    assert.deepEqual(
      [header.name, header.required, header.schema],
      [
        'Idempotency-Key',
        true,
        { type: 'string', minLength: 1, maxLength: 255, pattern: '^[ -~]*[!-~][ -~]*$' },
      ],
    );
    assert.match(header.description, /1 to 255 printable ASCII characters/);
    assert.deepEqual(headers('get'), []);
  });

  it('replay the first response to a retry, and charge once', async () => {
    const merchant = await signUp(ctx.app, 'retry');
    const key = newKey();
    const body = paymentBody({ amount: 4321, description: 'order 9' });
    const first = await postPayment(ctx, merchant, body, key);
    const again = await postPayment(ctx, merchant, body, key);
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const declined = paymentBody({ card: { number: CARD_DECLINED } });
    const failedKey = newKey();
    const failed = await postPayment(ctx, merchant, declined, failedKey);
    assert.deepEqual((await postPayment(ctx, merchant, declined, failedKey)).body, failed.body);
    assert.equal(await total(merchant), 2);
    const ledger = await ctx.http().get('/ledger').set(merchant.headers);
    assert.equal(ledger.body.total, 1);
  });

  it('answer 409 to a key reused with another body; an invalid body keeps the key free', async () => {
    const merchant = await signUp(ctx.app, 'reuse');
    const key = newKey();
    assert.equal((await postPayment(ctx, merchant, paymentBody({ amount: 0 }), key)).status, 422);
    assert.equal((await postPayment(ctx, merchant, paymentBody({ amount: 100 }), key)).status, 201);
    errorFields(await postPayment(ctx, merchant, paymentBody({ amount: 101 }), key), 409);
    const otherCard = paymentBody({ amount: 100, card: { number: CARD_MASTERCARD } });
    errorFields(await postPayment(ctx, merchant, otherCard, key), 409);
    const spaced = paymentBody({ amount: 100, card: { number: '4242 4242 4242 4242' } });
    assert.equal((await postPayment(ctx, merchant, spaced, key)).status, 201);
    assert.equal(await total(merchant), 1);
    const other = await signUp(ctx.app, 'other');
    const theirs = await postPayment(ctx, other, paymentBody({ amount: 100 }), key);
    assert.equal(theirs.status, 201);
    assert.equal(theirs.headers['idempotent-replayed'], undefined);
  });

  it("are private: another merchant's are 404, an admin sees all", async () => {
    const other = await signUp(ctx.app, 'other');
    const admin = await makeAdmin(ctx);
    const payment = await charge(ctx, user);
    const url = `/payments/${payment.id}`;
    errorFields(await ctx.http().get(url).set(other.headers), 404);
    errorFields(await ctx.http().get(`${url}/refunds`).set(other.headers), 404);
    errorFields(await ctx.http().post(`${url}/refunds`).set(other.headers).send({}), 404);
    assert.equal(await total(other), 0);
    assert.equal((await ctx.http().get(url).set(admin.headers)).status, 200);
    assert.ok((await total(admin)) >= 1);
    for (const id of ['999999999', 'abc', String(2 ** 70)]) {
      errorFields(await ctx.http().get(`/payments/${id}`).set(user.headers), 404);
    }
  });

  it('list newest first, filtered and paginated', async () => {
    const merchant = await signUp(ctx.app, 'lists');
    const customer = await ctx
      .http()
      .post('/customers')
      .set(merchant.headers)
      .send({ name: 'C', email: 'c@example.com' });
    await charge(ctx, merchant, { currency: 'EUR' });
    await charge(ctx, merchant, { card: { number: CARD_DECLINED } });
    const newest = await charge(ctx, merchant, { customer_id: customer.body.id });
    const page = await ctx.http().get('/payments?limit=2&offset=0').set(merchant.headers);
    assert.deepEqual(
      [page.body.total, page.body.limit, page.body.offset, page.body.items[0].id],
      [3, 2, 0, newest.id],
    );
    /** @param {string} query */
    const count = async (query) =>
      (await ctx.http().get(`/payments?${query}`).set(merchant.headers)).body.total;
    assert.equal(await count('status=failed'), 1);
    assert.equal(await count('currency=EUR'), 1);
    assert.equal(await count(`customer_id=${customer.body.id}`), 1);
    for (const query of ['status=nope', 'currency=usd', 'customer_id=x', 'offset=-1', 'limit=0']) {
      errorFields(await ctx.http().get(`/payments?${query}`).set(merchant.headers), 422);
    }
  });

  it('takes amounts and ids as JSON integers only (10.0 is no amount)', async () => {
    const body = paymentBody({ card: { number: CARD_OK, exp_month: 1, exp_year: 2040 } });
    for (const field of ['amount', 'customer_id', 'card.exp_month']) {
      for (const raw of NOT_JSON_INTEGERS) {
        const response = await ctx
          .http()
          .post('/payments')
          .set({ ...user.headers, 'Idempotency-Key': newKey() })
          .set('Content-Type', 'application/json')
          .send(rawJson(body, field, raw));
        assert.ok(errorFields(response, 422).has(field), `${field}: ${raw}`);
      }
    }
  });
});
