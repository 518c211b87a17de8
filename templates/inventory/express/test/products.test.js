'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { newProduct, newWarehouse, uniqueCode, withRole } = require('./inventory');
const { errorFields, makeAdmin, signUp, skipReason, startApp } = require('./support');

describe('products and warehouses', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {import('./support').Account} */
  let admin;
  before(async () => {
    ctx = await startApp();
    admin = await makeAdmin(ctx);
  });
  after(() => ctx.close());

  it('gives new accounts the viewer role', async () => {
    const viewer = await signUp(ctx.app);
    assert.equal((await ctx.http().get('/users/me').set(viewer.headers)).body.role, 'viewer');
  });

  it('creates products with upper-case SKUs, unique whatever their case', async () => {
    const code = uniqueCode('ab');
    const product = await newProduct(ctx.app, admin, {
      sku: ` ${code.toLowerCase()} `,
      price: { amount: 1250, currency: 'JPY' },
      low_stock_threshold: 3,
    });
    assert.equal(product.sku, code.toUpperCase());
    assert.deepEqual(product.price, { amount: 1250, currency: 'JPY' });
    assert.equal(product.is_active, true);
    assert.equal(product.category, null);
    const again = { sku: code.toLowerCase(), name: 'x', price: { amount: 1, currency: 'EUR' } };
    errorFields(await ctx.http().post('/products').send(again).set(admin.headers), 409);
    const read = await ctx.http().get(`/products/${product.id}`).set(admin.headers);
    assert.deepEqual(read.body, product);
  });

  it('validates products field by field, floats included', async () => {
    const base = { sku: uniqueCode(), name: 'x', price: { amount: 1, currency: 'EUR' } };
    /** @type {[Record<string, unknown>, string][]} */
    const cases = [
      [{ sku: 'AB' }, 'sku'],
      [{ sku: '-ABC' }, 'sku'],
      [{ sku: 'AB_C' }, 'sku'],
      [{ name: '' }, 'name'],
      [{ price: { amount: 19.99, currency: 'EUR' } }, 'price.amount'],
      [{ price: { amount: -5, currency: 'EUR' } }, 'price.amount'],
      [{ price: { amount: 100, currency: 'XXX' } }, 'price.currency'],
      [{ low_stock_threshold: -1 }, 'low_stock_threshold'],
      [{ quantity: 5 }, 'quantity'],
    ];
    for (const [changes, field] of cases) {
      const response = await ctx
        .http()
        .post('/products')
        .send({ ...base, ...changes })
        .set(admin.headers);
      assert.ok(errorFields(response, 422).has(String(field)), `${field}: ${response.text}`);
    }
    const float = await ctx
      .http()
      .post('/products')
      .set(admin.headers)
      .set('Content-Type', 'application/json')
      .send(
        `{"sku": "${uniqueCode()}", "name": "x", "price": {"amount": 10.0, "currency": "EUR"}}`,
      );
    if (float.status !== 201) assert.deepEqual(errorFields(float, 422), new Set(['price.amount']));
  });

  it('changes and retires products; the SKU stays', async () => {
    const product = await newProduct(ctx.app, admin, { category: 'tools', description: 'old' });
    const url = `/products/${product.id}`;
    const changed = await ctx
      .http()
      .patch(url)
      .send({ name: 'Better', price: { amount: 2500, currency: 'USD' }, description: null })
      .set(admin.headers);
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(
      [changed.body.name, changed.body.price, changed.body.description, changed.body.category],
      ['Better', { amount: 2500, currency: 'USD' }, null, 'tools'],
    );
    const retired = await ctx.http().patch(url).send({ is_active: false }).set(admin.headers);
    assert.equal(retired.body.is_active, false);
    const sku = await ctx.http().patch(url).send({ sku: 'NEW-1' }).set(admin.headers);
    assert.ok(errorFields(sku, 422).has('sku'));
    const nulled = await ctx.http().patch(url).send({ name: null }).set(admin.headers);
    assert.ok(errorFields(nulled, 422).has('name'));
    errorFields(await ctx.http().get('/products/999999999').set(admin.headers), 404);
    errorFields(await ctx.http().get('/products/abc').set(admin.headers), 404);
  });

  it('lets only admins write the catalog, and every signed-in user read it', async () => {
    const viewer = await signUp(ctx.app);
    const manager = await withRole(ctx.app, admin, 'manager');
    const product = await newProduct(ctx.app, admin);
    const warehouse = await newWarehouse(ctx.app, admin);
    const body = { sku: uniqueCode(), name: 'x', price: { amount: 1, currency: 'EUR' } };
    for (const account of [viewer, manager]) {
      errorFields(await ctx.http().post('/products').send(body).set(account.headers), 403);
      errorFields(await ctx.http().post('/products').send({}).set(account.headers), 403);
      const patch = await ctx
        .http()
        .patch(`/warehouses/${warehouse.id}`)
        .send({ name: 'mine' })
        .set(account.headers);
      errorFields(patch, 403);
      const read = await ctx.http().get(`/products/${product.id}`).set(account.headers);
      assert.equal(read.status, 200);
    }
    errorFields(await ctx.http().get('/products'), 401);
  });

  it('filters, sorts and pages products', async () => {
    const category = uniqueCode('cat');
    for (const [suffix, name, active] of [
      ['C', 'Chair', true],
      ['A', 'Table', true],
      ['B', 'Lamp', false],
    ]) {
      await newProduct(ctx.app, admin, {
        sku: `${category}-${suffix}`,
        name,
        is_active: active,
        category,
      });
    }
    /** @param {Record<string, unknown>} params */
    const suffixes = async (params) => {
      const response = await ctx
        .http()
        .get('/products')
        .query({ category, ...params })
        .set(admin.headers);
      assert.equal(response.status, 200, response.text);
      return response.body.items.map((/** @type {any} */ p) => p.sku.split('-').pop());
    };
    assert.deepEqual(await suffixes({}), ['A', 'B', 'C']);
    assert.deepEqual(await suffixes({ is_active: 'true' }), ['A', 'C']);
    assert.deepEqual(await suffixes({ q: 'LAMP' }), ['B']);
    assert.deepEqual(await suffixes({ q: '%' }), []);
    assert.deepEqual(await suffixes({ limit: 2, offset: 1 }), ['B', 'C']);
  });

  it('keeps warehouse codes unique and fixed', async () => {
    const code = uniqueCode('wh');
    const created = await ctx
      .http()
      .post('/warehouses')
      .send({ code: code.toLowerCase(), name: 'Berlin' })
      .set(admin.headers);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.code, code.toUpperCase());
    const again = await ctx.http().post('/warehouses').send({ code, name: 'x' }).set(admin.headers);
    errorFields(again, 409);
    const url = `/warehouses/${created.body.id}`;
    const renamed = await ctx.http().patch(url).send({ name: 'Mitte' }).set(admin.headers);
    assert.equal(renamed.body.name, 'Mitte');
    assert.ok(
      errorFields(await ctx.http().patch(url).send({ code: 'NEW' }).set(admin.headers), 422).has(
        'code',
      ),
    );
  });
});
