'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { level, move, newProduct, newWarehouse, withRole } = require('./inventory');
const {
  NOT_JSON_INTEGERS,
  errorFields,
  makeAdmin,
  rawJson,
  signUp,
  skipReason,
  startApp,
} = require('./support');

describe('movements', { skip: skipReason() }, () => {
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

  async function fresh() {
    const product = (await newProduct(ctx.app, admin)).id;
    const a = (await newWarehouse(ctx.app, admin)).id;
    const b = (await newWarehouse(ctx.app, admin)).id;
    return { product, a, b };
  }

  /** @param {Record<string, unknown>} payload */
  async function moved(payload) {
    const response = await move(ctx.app, manager, payload);
    assert.equal(response.status, 201, response.text);
    return response.body;
  }

  /**
   * Every level of a product equals the sum of its movements.
   * @param {number} product
   */
  async function assertBooksBalance(product) {
    const levels = await ctx.db('stock_levels').where({ product_id: product });
    for (const row of levels) {
      const sum = await ctx
        .db('movements')
        .where({ product_id: product, warehouse_id: row.warehouse_id })
        .sum({ total: 'quantity' })
        .first();
      assert.equal(Number(sum?.total), Number(row.quantity));
    }
  }

  it('receives, ships and adjusts', async () => {
    const { product, a } = await fresh();
    const receipt = await moved({
      type: 'receive',
      product_id: product,
      quantity: 10,
      warehouse_id: a,
      reason: 'PO-7',
    });
    assert.deepEqual(Object.keys(receipt).sort(), ['levels', 'movements']);
    const [movement] = receipt.movements;
    assert.deepEqual(
      [movement.type, movement.quantity, movement.reason, movement.created_by_id],
      ['receive', 10, 'PO-7', manager.id],
    );
    assert.equal(receipt.levels[0].quantity, 10);
    const shipped = await moved({
      type: 'ship',
      product_id: product,
      quantity: 4,
      warehouse_id: a,
    });
    assert.deepEqual([shipped.movements[0].quantity, shipped.levels[0].quantity], [-4, 6]);
    const down = await moved({
      type: 'adjust',
      product_id: product,
      quantity: -1,
      warehouse_id: a,
      reason: 'damaged',
    });
    assert.equal(down.levels[0].quantity, 5);
    assert.equal(await level(ctx.app, manager, product, a), 5);
    await assertBooksBalance(product);
  });

  it('never takes a level below zero, and changes nothing when it refuses', async () => {
    const { product, a, b } = await fresh();
    await moved({ type: 'receive', product_id: product, quantity: 5, warehouse_id: a });
    for (const payload of [
      { type: 'ship', quantity: 6, warehouse_id: a },
      { type: 'ship', quantity: 1, warehouse_id: b },
      { type: 'adjust', quantity: -6, warehouse_id: a, reason: 'lost' },
      { type: 'transfer', quantity: 6, from_warehouse_id: a, to_warehouse_id: b },
    ]) {
      errorFields(await move(ctx.app, manager, { product_id: product, ...payload }), 409);
    }
    assert.equal(await level(ctx.app, manager, product, a), 5);
    assert.equal(await level(ctx.app, manager, product, b), 0);
    const entries = await ctx.db('movements').where({ product_id: product });
    assert.equal(entries.length, 1);
  });

  it('writes a transfer as two linked movements', async () => {
    const { product, a, b } = await fresh();
    await moved({ type: 'receive', product_id: product, quantity: 8, warehouse_id: a });
    const receipt = await moved({
      type: 'transfer',
      product_id: product,
      quantity: 3,
      from_warehouse_id: a,
      to_warehouse_id: b,
    });
    const [out, into] = receipt.movements;
    assert.deepEqual([out.warehouse_id, out.quantity, out.counterpart_warehouse_id], [a, -3, b]);
    assert.deepEqual([into.warehouse_id, into.quantity, into.counterpart_warehouse_id], [b, 3, a]);
    assert.ok(out.transfer_id && out.transfer_id === into.transfer_id);
    await assertBooksBalance(product);
  });

  it('validates movements, naming the field at fault', async () => {
    const { product, a } = await fresh();
    const base = { type: 'ship', product_id: product, warehouse_id: a, quantity: 1 };
    /** @type {[Record<string, unknown>, string][]} */
    const cases = [
      [{ type: 'steal' }, 'type'],
      [{ quantity: 0 }, 'quantity'],
      [{ quantity: -2 }, 'quantity'],
      [{ quantity: 1.5 }, 'quantity'],
      [{ quantity: '3' }, 'quantity'],
      [{ quantity: 1_000_001 }, 'quantity'],
      [{ warehouse_id: null }, 'warehouse_id'],
      [{ type: 'adjust', quantity: -1 }, 'reason'],
      [{ type: 'transfer' }, 'warehouse_id'],
      [{ type: 'transfer', warehouse_id: null }, 'from_warehouse_id'],
      [
        { type: 'transfer', warehouse_id: null, from_warehouse_id: 5, to_warehouse_id: 5 },
        'to_warehouse_id',
      ],
      [{ extra: 1 }, 'extra'],
    ];
    for (const [changes, field] of cases) {
      const response = await move(ctx.app, manager, { ...base, ...changes });
      assert.ok(errorFields(response, 422).has(String(field)), `${field}: ${response.text}`);
    }
  });

  it('answers 404 for unknown products and warehouses, 409 for inactive products', async () => {
    const { product, a } = await fresh();
    const nowhere = 999_999_999;
    errorFields(
      await move(ctx.app, manager, {
        type: 'receive',
        product_id: nowhere,
        quantity: 1,
        warehouse_id: a,
      }),
      404,
    );
    errorFields(
      await move(ctx.app, manager, {
        type: 'receive',
        product_id: product,
        quantity: 1,
        warehouse_id: nowhere,
      }),
      404,
    );
    await ctx.http().patch(`/products/${product}`).send({ is_active: false }).set(admin.headers);
    errorFields(
      await move(ctx.app, manager, {
        type: 'receive',
        product_id: product,
        quantity: 1,
        warehouse_id: a,
      }),
      409,
    );
  });

  it('lets only managers and admins move stock, and lists the ledger newest first', async () => {
    const viewer = await signUp(ctx.app);
    const { product, a, b } = await fresh();
    errorFields(
      await move(ctx.app, viewer, {
        type: 'receive',
        product_id: product,
        quantity: 1,
        warehouse_id: a,
      }),
      403,
    );
    errorFields(await move(ctx.app, viewer, {}), 403);
    errorFields(await ctx.http().post('/movements').send({}), 401);
    await moved({ type: 'receive', product_id: product, quantity: 5, warehouse_id: a });
    await moved({ type: 'receive', product_id: product, quantity: 4, warehouse_id: b });
    await moved({ type: 'ship', product_id: product, quantity: 1, warehouse_id: a });
    const ledger = await ctx
      .http()
      .get('/movements')
      .query({ product_id: product })
      .set(viewer.headers);
    assert.deepEqual(
      ledger.body.items.map((/** @type {any} */ m) => m.quantity),
      [-1, 4, 5],
    );
    const ships = await ctx
      .http()
      .get('/movements')
      .query({ product_id: product, type: 'ship' })
      .set(viewer.headers);
    assert.equal(ships.body.total, 1);
    const levels = await ctx
      .http()
      .get('/stock')
      .query({ product_id: product })
      .set(viewer.headers);
    assert.deepEqual(
      levels.body.items.map((/** @type {any} */ l) => [l.warehouse_id, l.quantity]),
      [
        [a, 4],
        [b, 4],
      ],
    );
    const bad = await ctx.http().get('/stock').query({ warehouse_id: 'x' }).set(viewer.headers);
    assert.deepEqual(errorFields(bad, 422), new Set(['warehouse_id']));
  });

  it('takes ids and quantities as JSON integers only (true is not product 1)', async () => {
    const { product, a } = await fresh();
    await moved({ type: 'receive', product_id: product, warehouse_id: a, quantity: 5 });
    const ship = { type: 'ship', product_id: product, warehouse_id: a, quantity: 1 };
    for (const field of ['product_id', 'warehouse_id', 'quantity']) {
      for (const raw of NOT_JSON_INTEGERS) {
        const response = await ctx
          .http()
          .post('/movements')
          .set(manager.headers)
          .set('Content-Type', 'application/json')
          .send(rawJson(ship, field, raw));
        assert.ok(errorFields(response, 422).has(field), `${field}: ${raw}`);
      }
    }
    assert.equal(await level(ctx.app, manager, product, a), 5);
  });
});
