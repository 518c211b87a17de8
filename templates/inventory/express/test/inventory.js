'use strict';
/**
 * Helpers of the inventory tests: roles, products, warehouses and movements.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const request = require('supertest');

const { signUp } = require('./support');

/** A unique code of the SKU format. @param {string} [prefix] */
function uniqueCode(prefix = 'C') {
  return `${prefix}-${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
}

/**
 * A new account that an admin gave a role.
 * @param {import('express').Express} app
 * @param {import('./support').Account} admin
 * @param {string} role
 */
async function withRole(app, admin, role) {
  const account = await signUp(app, role);
  const response = await request(app)
    .patch(`/users/${account.id}`)
    .send({ role })
    .set(admin.headers);
  assert.equal(response.status, 200, response.text);
  return account;
}

/**
 * @param {import('express').Express} app
 * @param {import('./support').Account} admin
 * @param {Record<string, unknown>} [fields]
 */
async function newProduct(app, admin, fields = {}) {
  const payload = {
    sku: uniqueCode('SKU'),
    name: 'Widget',
    price: { amount: 1999, currency: 'EUR' },
    ...fields,
  };
  const response = await request(app).post('/products').send(payload).set(admin.headers);
  assert.equal(response.status, 201, response.text);
  return response.body;
}

/**
 * @param {import('express').Express} app
 * @param {import('./support').Account} admin
 */
async function newWarehouse(app, admin) {
  const payload = { code: uniqueCode('WH'), name: 'Warehouse' };
  const response = await request(app).post('/warehouses').send(payload).set(admin.headers);
  assert.equal(response.status, 201, response.text);
  return response.body;
}

/**
 * POST /movements.
 * @param {import('express').Express} app
 * @param {import('./support').Account} account
 * @param {Record<string, unknown>} payload
 */
function move(app, account, payload) {
  return request(app).post('/movements').send(payload).set(account.headers);
}

/**
 * The quantity of one level (0 without a row).
 * @param {import('express').Express} app
 * @param {import('./support').Account} account
 * @param {number} productId
 * @param {number} warehouseId
 */
async function level(app, account, productId, warehouseId) {
  const response = await request(app)
    .get('/stock')
    .query({ product_id: productId, warehouse_id: warehouseId })
    .set(account.headers);
  assert.equal(response.status, 200, response.text);
  return response.body.items.length ? response.body.items[0].quantity : 0;
}

module.exports = { uniqueCode, withRole, newProduct, newWarehouse, move, level };
