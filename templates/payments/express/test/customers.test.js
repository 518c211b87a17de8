'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { errorFields, makeAdmin, signUp, skipReason, startApp } = require('./support');

describe('customers', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {Awaited<ReturnType<typeof signUp>>} */
  let user;
  before(async () => {
    ctx = await startApp();
    user = await signUp(ctx.app);
  });
  after(() => ctx.close());

  it('are created, read and changed', async () => {
    const created = await ctx
      .http()
      .post('/customers')
      .set(user.headers)
      .send({ name: ' Ada ', email: 'Ada@Example.com' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.name, 'Ada');
    assert.equal(created.body.email, 'ada@example.com');
    assert.equal(created.body.owner_id, user.id);
    const url = `/customers/${created.body.id}`;
    const read = await ctx.http().get(url).set(user.headers);
    assert.deepEqual(read.body, created.body);
    const changed = await ctx.http().patch(url).set(user.headers).send({ name: 'Ada L.' });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.name, 'Ada L.');
    assert.equal(changed.body.email, 'ada@example.com');
  });

  it('are validated, and null is refused on update', async () => {
    for (const [body, field] of /** @type {[object, string][]} */ ([
      [{ name: '', email: 'a@example.com' }, 'name'],
      [{ name: 'x'.repeat(201), email: 'a@example.com' }, 'name'],
      [{ name: 'x', email: 'nope' }, 'email'],
      [{ name: 'x' }, 'email'],
      [{ name: 'x', email: 'a@example.com', owner_id: 1 }, 'owner_id'],
    ])) {
      const response = await ctx.http().post('/customers').set(user.headers).send(body);
      assert.ok(errorFields(response, 422).has(field), `${field}: ${response.text}`);
    }
    const created = await ctx
      .http()
      .post('/customers')
      .set(user.headers)
      .send({ name: 'x', email: 'x@example.com' });
    const response = await ctx
      .http()
      .patch(`/customers/${created.body.id}`)
      .set(user.headers)
      .send({ name: null });
    assert.ok(errorFields(response, 422).has('name'));
  });

  it("are private: another merchant's are 404, an admin sees all", async () => {
    const other = await signUp(ctx.app, 'other');
    const admin = await makeAdmin(ctx);
    const created = await ctx
      .http()
      .post('/customers')
      .set(user.headers)
      .send({ name: 'Mine', email: 'mine@example.com' });
    const url = `/customers/${created.body.id}`;
    errorFields(await ctx.http().get(url).set(other.headers), 404);
    errorFields(await ctx.http().patch(url).set(other.headers).send({ name: 'x' }), 404);
    assert.equal((await ctx.http().get('/customers').set(other.headers)).body.total, 0);
    assert.equal((await ctx.http().get(url).set(admin.headers)).status, 200);
    for (const id of ['abc', '0', String(2 ** 70)]) {
      errorFields(await ctx.http().get(`/customers/${id}`).set(user.headers), 404);
    }
  });

  it('list newest first, filtered by email, paginated', async () => {
    const merchant = await signUp(ctx.app, 'lister');
    for (const name of ['a', 'b', 'c']) {
      await ctx
        .http()
        .post('/customers')
        .set(merchant.headers)
        .send({ name, email: `${name}@example.com` });
    }
    const page = await ctx.http().get('/customers?limit=2&offset=0').set(merchant.headers);
    assert.deepEqual(
      page.body.items.map((/** @type {any} */ c) => c.name),
      ['c', 'b'],
    );
    assert.equal(page.body.total, 3);
    const byEmail = await ctx.http().get('/customers?email=B@example.com').set(merchant.headers);
    assert.equal(byEmail.body.total, 1);
    errorFields(await ctx.http().get('/customers?limit=101').set(merchant.headers), 422);
  });
});
