'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const {
  cacheStates,
  describeCachedCluster,
  onServer,
  readOn,
  startCachedApp,
} = require('./cache-support');
const { move, newProduct, newWarehouse, withRole } = require('./inventory');
const { redisSkipReason } = require('./redis-support');
const { makeAdmin } = require('./support');

describe('cached products and reports', { skip: redisSkipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startCachedApp>>} */
  let ctx;
  before(async () => {
    ctx = await startCachedApp();
  });
  after(() => ctx.close());

  it('hits after a miss, per user, until stock moves', async () => {
    const admin = await makeAdmin(ctx);
    const clerk = await withRole(ctx.app, admin, 'viewer');
    const product = await newProduct(ctx.app, admin, { low_stock_threshold: 5 });
    const warehouse = await newWarehouse(ctx.app, admin);
    /**
     * @param {string} path
     * @param {import('./support').Account} account
     */
    const read = async (path, account) => {
      const response = await ctx.http().get(path).set(account.headers);
      assert.equal(response.status, 200, response.text);
      return response;
    };
    const paths = ['/products', '/reports/low-stock', '/reports/valuation'];
    for (const path of paths) {
      const first = await read(path, admin);
      assert.equal(first.headers['x-cache'], 'miss', path);
      const second = await read(path, admin);
      assert.equal(second.headers['x-cache'], 'hit', path);
      assert.equal(second.text, first.text);
      // Another user has entries of their own.
      assert.equal((await read(path, clerk)).headers['x-cache'], 'miss', path);
    }
    const lowBefore = (await read('/reports/low-stock', clerk)).body;
    const received = await move(ctx.app, admin, {
      type: 'receive',
      product_id: product.id,
      warehouse_id: warehouse.id,
      quantity: 10,
    });
    assert.equal(received.status, 201, received.text);
    for (const path of paths) {
      assert.equal((await read(path, clerk)).headers['x-cache'], 'miss', path);
    }
    const lowAfter = (await read('/reports/low-stock', clerk)).body;
    assert.notDeepEqual(lowAfter, lowBefore);
  });
});

describeCachedCluster('cached products over the workers of node:cluster', (server) => {
  it('shows each write on the next read, whichever worker answers', async () => {
    const { port, admin } = server();
    const read = () => readOn(port, '/products', admin);
    const made = await onServer(port, 'post', '/products', admin).send({
      sku: 'SKU-CACHE-1',
      name: 'Widget',
      price: { amount: 1999, currency: 'EUR' },
    });
    assert.equal(made.status, 201, made.text);
    assert.deepEqual(await cacheStates(read), ['miss', 'hit', 'hit', 'hit']);
    const renamed = await onServer(port, 'patch', `/products/${made.body.id}`, admin).send({
      name: 'Gadget',
    });
    assert.equal(renamed.status, 200, renamed.text);
    const after = await read();
    assert.equal(after.headers['x-cache'], 'miss');
    assert.equal(after.body.items[0].name, 'Gadget');
  });
});
