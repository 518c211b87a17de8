'use strict';
/**
 * Warehouses: admins create and rename them; everyone signed in reads them.
 * @module services/warehouses
 */
const { Conflict, NotFound } = require('../core/errors');
const { insert, isUniqueViolation, isoTimestamp, now } = require('../db');
const { parseId } = require('../schemas/common');
const { paginate } = require('./pagination');

const CODE_TAKEN = 'A warehouse with this code exists';

/**
 * A warehouse as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    created_at: isoTimestamp(row.created_at),
  };
}

/**
 * A warehouse row by id, or NotFound.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {number} warehouseId
 */
async function getWarehouse(db, warehouseId) {
  const warehouse =
    parseId(String(warehouseId)) === null
      ? undefined
      : await db('warehouses').where({ id: warehouseId }).first();
  if (!warehouse) throw new NotFound('Warehouse not found');
  return warehouse;
}

/**
 * One page of warehouses, sorted by code.
 * @param {import('knex').Knex} db
 * @param {{limit: number, offset: number}} page
 */
function listWarehouses(db, page) {
  return paginate(db, db('warehouses'), page, (q) => q.orderBy('code'), toPublic);
}

/**
 * Create a warehouse; a taken code is a Conflict, also when two requests race.
 * @param {import('knex').Knex} db
 * @param {{code: string, name: string}} data
 */
async function createWarehouse(db, data) {
  if (await db('warehouses').where({ code: data.code }).first('id')) {
    throw new Conflict(CODE_TAKEN);
  }
  let id;
  try {
    id = await insert(db, 'warehouses', { ...data, created_at: now() });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(CODE_TAKEN);
    throw error;
  }
  return toPublic(await getWarehouse(db, id));
}

/**
 * Rename a warehouse.
 * @param {import('knex').Knex} db
 * @param {number} warehouseId
 * @param {{name?: string}} changes
 */
async function updateWarehouse(db, warehouseId, changes) {
  const warehouse = await getWarehouse(db, warehouseId);
  if (changes.name !== undefined) {
    await db('warehouses').where({ id: warehouse.id }).update({ name: changes.name });
  }
  return toPublic(await getWarehouse(db, warehouse.id));
}

module.exports = { toPublic, getWarehouse, listWarehouses, createWarehouse, updateWarehouse };
