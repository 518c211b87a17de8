'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { connect } = require('../src/db');
const driver = require('../src/db/driver');
const stock = require('../src/services/stock');
const users = require('../src/services/users');
const { newProduct, newWarehouse, withRole } = require('./inventory');
const { makeAdmin, skipReason, startApp } = require('./support');

const CONCURRENT = 50;
const STOCK = 20;

describe('stock under concurrent movements', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {import('knex').Knex[]} */
  const pools = [];
  /** @type {any} */
  let manager;
  /** @type {import('./support').Account} */
  let admin;
  before(async () => {
    ctx = await startApp();
    // Several pools stand for several server processes. SQLite's driver is synchronous:
    // pools in one process would wait on each other's locks while blocking the event
    // loop, so there the one pool serializes the writes.
    if (driver.server) {
      for (let n = 0; n < 4; n += 1) pools.push(connect(ctx.settings.databaseUrl));
    }
    admin = await makeAdmin(ctx);
    const account = await withRole(ctx.app, admin, 'manager');
    manager = await users.get(ctx.db, account.id);
  });
  after(async () => {
    await Promise.all(pools.map((pool) => pool.destroy()));
    await ctx.close();
  });

  /** @param {number} n */
  const pool = (n) => (pools.length ? pools[n % pools.length] : ctx.db);
  /** @param {Promise<unknown>} promise */
  const outcome = (promise) =>
    promise.then(
      () => 201,
      (/** @type {any} */ error) => error.status ?? error,
    );
  const attempts = 5;

  it('ships exactly the stock there is, never more', async () => {
    const product = (await newProduct(ctx.app, admin)).id;
    const warehouse = (await newWarehouse(ctx.app, admin)).id;
    await stock.recordMovement(
      ctx.db,
      manager,
      {
        type: 'receive',
        product_id: product,
        quantity: STOCK,
        warehouse_id: warehouse,
        reason: null,
      },
      attempts,
    );
    const ship = {
      type: 'ship',
      product_id: product,
      quantity: 1,
      warehouse_id: warehouse,
      reason: null,
    };
    const statuses = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, n) =>
        outcome(stock.recordMovement(pool(n), manager, ship, attempts)),
      ),
    );
    assert.equal(statuses.filter((s) => s === 201).length, STOCK, String(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, CONCURRENT - STOCK, String(statuses));
    const row = await ctx
      .db('stock_levels')
      .where({ product_id: product, warehouse_id: warehouse })
      .first();
    assert.equal(Number(row.quantity), 0);
    const entries = await ctx.db('movements').where({ product_id: product });
    assert.equal(entries.length, 1 + STOCK);
  });

  it('keeps the books through concurrent transfers both ways and first receipts', async () => {
    const product = (await newProduct(ctx.app, admin)).id;
    const a = (await newWarehouse(ctx.app, admin)).id;
    const b = (await newWarehouse(ctx.app, admin)).id;
    const c = (await newWarehouse(ctx.app, admin)).id;
    await stock.recordMovement(
      ctx.db,
      manager,
      { type: 'receive', product_id: product, quantity: 5, warehouse_id: a, reason: null },
      attempts,
    );
    await stock.recordMovement(
      ctx.db,
      manager,
      { type: 'receive', product_id: product, quantity: 5, warehouse_id: b, reason: null },
      attempts,
    );
    const payloads = Array.from({ length: 30 }, (_, n) => {
      if (n % 3 === 2)
        return { type: 'receive', product_id: product, quantity: 1, warehouse_id: c, reason: null };
      const [from, to, quantity] = n % 3 === 0 ? [a, b, 1] : [b, a, 2];
      return {
        type: 'transfer',
        product_id: product,
        quantity,
        from_warehouse_id: from,
        to_warehouse_id: to,
        reason: null,
      };
    });
    const statuses = await Promise.all(
      payloads.map((payload, n) =>
        outcome(stock.recordMovement(pool(n), manager, payload, attempts)),
      ),
    );
    assert.ok(
      statuses.every((s) => s === 201 || s === 409),
      String(statuses),
    );
    const levels = await ctx.db('stock_levels').where({ product_id: product });
    const byWarehouse = new Map(
      levels.map((row) => [Number(row.warehouse_id), Number(row.quantity)]),
    );
    assert.equal((byWarehouse.get(a) ?? 0) + (byWarehouse.get(b) ?? 0), 10);
    assert.equal(byWarehouse.get(c), 10);
    for (const row of levels) {
      const sum = await ctx
        .db('movements')
        .where({ product_id: product, warehouse_id: row.warehouse_id })
        .sum({ total: 'quantity' })
        .first();
      assert.equal(Number(sum?.total), Number(row.quantity));
    }
  });
});
