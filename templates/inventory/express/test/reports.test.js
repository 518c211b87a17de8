'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { move, newProduct, newWarehouse, uniqueCode, withRole } = require('./inventory');
const { errorFields, makeAdmin, skipReason, startApp } = require('./support');

describe('reports', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {import('./support').Account} */
  let admin;
  /** @type {import('./support').Account} */
  let manager;
  before(async () => {
    ctx = await startApp();
    admin = await makeAdmin(ctx);
    manager = await withRole(ctx.app, admin, 'manager');
  });
  after(() => ctx.close());

  /** @param {Record<string, unknown>} payload */
  async function moved(payload) {
    const response = await move(ctx.app, manager, payload);
    assert.equal(response.status, 201, response.text);
  }

  it('lists active products at or below their threshold across warehouses', async () => {
    const category = uniqueCode('low');
    const a = (await newWarehouse(ctx.app, admin)).id;
    const b = (await newWarehouse(ctx.app, admin)).id;
    /** @param {string} suffix @param {number} threshold @param {boolean} [active] */
    const product = async (suffix, threshold, active = true) =>
      (
        await newProduct(ctx.app, admin, {
          sku: `${category}-${suffix}`,
          category,
          low_stock_threshold: threshold,
          is_active: active,
        })
      ).id;
    const low = await product('A', 5);
    const at = await product('B', 4);
    const plenty = await product('C', 5);
    const empty = await product('D', 0);
    await product('E', 5, false);
    for (const [id, quantity, warehouse] of [
      [low, 2, a],
      [low, 2, b],
      [at, 4, a],
      [plenty, 3, a],
      [plenty, 3, b],
    ]) {
      await moved({ type: 'receive', product_id: id, quantity, warehouse_id: warehouse });
    }
    const response = await ctx
      .http()
      .get('/reports/low-stock')
      .query({ category })
      .set(admin.headers);
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(
      response.body.items.map((/** @type {any} */ i) => [
        i.product_id,
        i.quantity,
        i.low_stock_threshold,
      ]),
      [
        [low, 4, 5],
        [at, 4, 4],
        [empty, 0, 0],
      ],
    );
    assert.equal(response.body.total, 3);
    const bad = await ctx.http().get('/reports/low-stock').query({ limit: 101 }).set(admin.headers);
    assert.deepEqual(errorFields(bad, 422), new Set(['limit']));
  });

  it('values the stock per currency, per warehouse or in all', async () => {
    const a = (await newWarehouse(ctx.app, admin)).id;
    const b = (await newWarehouse(ctx.app, admin)).id;
    const euro = (await newProduct(ctx.app, admin, { price: { amount: 250, currency: 'EUR' } })).id;
    const gone = (await newProduct(ctx.app, admin, { price: { amount: 99, currency: 'EUR' } })).id;
    const dinar = (await newProduct(ctx.app, admin, { price: { amount: 1500, currency: 'KWD' } }))
      .id;
    await moved({ type: 'receive', product_id: euro, quantity: 4, warehouse_id: a });
    await moved({ type: 'receive', product_id: gone, quantity: 10, warehouse_id: a });
    await moved({ type: 'ship', product_id: gone, quantity: 10, warehouse_id: a });
    await moved({ type: 'receive', product_id: euro, quantity: 3, warehouse_id: b });
    await moved({ type: 'receive', product_id: dinar, quantity: 2, warehouse_id: b });
    await moved({
      type: 'transfer',
      product_id: euro,
      quantity: 1,
      from_warehouse_id: a,
      to_warehouse_id: b,
    });
    /** @param {Record<string, unknown>} query */
    const totals = async (query) =>
      (await ctx.http().get('/reports/valuation').query(query).set(admin.headers)).body.totals;
    assert.deepEqual(await totals({ warehouse_id: a }), [
      { currency: 'EUR', amount: 750, units: 3 },
    ]);
    assert.deepEqual(await totals({ warehouse_id: b }), [
      { currency: 'EUR', amount: 1000, units: 4 },
      { currency: 'KWD', amount: 3000, units: 2 },
    ]);
    // Other tests' stock is priced in EUR too; only this test has KWD.
    const everything = await totals({});
    assert.deepEqual(
      everything.map((/** @type {any} */ t) => t.currency),
      ['EUR', 'KWD'],
    );
    assert.deepEqual(everything[1], { currency: 'KWD', amount: 3000, units: 2 });
    errorFields(
      await ctx
        .http()
        .get('/reports/valuation')
        .query({ warehouse_id: 999999999 })
        .set(admin.headers),
      404,
    );
    const bad = await ctx
      .http()
      .get('/reports/valuation')
      .query({ warehouse_id: 'x' })
      .set(admin.headers);
    assert.deepEqual(errorFields(bad, 422), new Set(['warehouse_id']));
  });
});
