'use strict';
/**
 * Stock levels and the movements that change them.
 *
 * Every change of a level is a conditional UPDATE (quantity = quantity + delta only
 * where the result stays within 0..MAX_LEVEL) and the movement that records it, in one
 * transaction. The database decides, so concurrent requests never oversell: when the
 * UPDATE matches no row, nothing is written and the request is a Conflict.
 * @module services/stock
 */
const crypto = require('node:crypto');

const { AppError, Conflict } = require('../core/errors');
const { insert, isRetryable, isUniqueViolation, isoTimestamp, now } = require('../db');
const { MAX_LEVEL } = require('../schemas/fields');
const { paginate } = require('./pagination');
const { getProduct } = require('./products');
const { getWarehouse } = require('./warehouses');

/** The transaction lost a race that a fresh one will not lose: roll back and retry. */
class TryAgain extends Error {}

/**
 * @typedef {object} Leg one level change of a movement
 * @property {number} warehouseId
 * @property {number} delta
 * @property {number | null} counterpartId
 */

/** @param {any} row */
function levelToPublic(row) {
  return {
    product_id: Number(row.product_id),
    warehouse_id: Number(row.warehouse_id),
    quantity: Number(row.quantity),
    updated_at: isoTimestamp(row.updated_at),
  };
}

/** @param {any} row */
function movementToPublic(row) {
  return {
    id: Number(row.id),
    type: row.type,
    product_id: Number(row.product_id),
    warehouse_id: Number(row.warehouse_id),
    quantity: Number(row.quantity),
    reason: row.reason ?? null,
    transfer_id: row.transfer_id ?? null,
    counterpart_warehouse_id:
      row.counterpart_warehouse_id === null ? null : Number(row.counterpart_warehouse_id),
    created_by_id: Number(row.created_by_id),
    created_at: isoTimestamp(row.created_at),
  };
}

/**
 * One page of stock levels, by product then warehouse.
 * @param {import('knex').Knex} db
 * @param {any} query the validated stockQuery
 */
function listLevels(db, query) {
  const levels = db('stock_levels');
  if (query.product_id !== undefined) levels.where('product_id', query.product_id);
  if (query.warehouse_id !== undefined) levels.where('warehouse_id', query.warehouse_id);
  return paginate(
    db,
    levels,
    query,
    (q) => q.orderBy('product_id').orderBy('warehouse_id'),
    levelToPublic,
  );
}

/**
 * One page of the ledger, newest first.
 * @param {import('knex').Knex} db
 * @param {any} query the validated movementQuery
 */
function listMovements(db, query) {
  const movements = db('movements');
  if (query.product_id !== undefined) movements.where('product_id', query.product_id);
  if (query.warehouse_id !== undefined) movements.where('warehouse_id', query.warehouse_id);
  if (query.type !== undefined) movements.where('type', query.type);
  return paginate(db, movements, query, (q) => q.orderBy('id', 'desc'), movementToPublic);
}

/**
 * The level changes of a movement; NotFound for an unknown warehouse.
 * @param {import('knex').Knex} db
 * @param {any} data the validated movementCreate
 * @returns {Promise<Leg[]>}
 */
async function legsOf(db, data) {
  if (data.type === 'transfer') {
    const source = Number((await getWarehouse(db, data.from_warehouse_id)).id);
    const target = Number((await getWarehouse(db, data.to_warehouse_id)).id);
    return [
      { warehouseId: source, delta: -data.quantity, counterpartId: target },
      { warehouseId: target, delta: data.quantity, counterpartId: source },
    ];
  }
  const warehouseId = Number((await getWarehouse(db, data.warehouse_id)).id);
  const delta = data.type === 'ship' ? -data.quantity : data.quantity;
  return [{ warehouseId, delta, counterpartId: null }];
}

/**
 * Add delta to a level if it stays within 0..MAX_LEVEL, else throw Conflict.
 *
 * The first movement into a warehouse makes the level row. Rows are changed only with
 * UPDATE, never an upsert: on MySQL an upsert locks the primary key before the secondary
 * index that an UPDATE may lock first, and the two would deadlock.
 * @param {import('knex').Knex.Transaction} trx
 * @param {number} productId
 * @param {number} warehouseId
 * @param {number} delta
 */
async function changeLevel(trx, productId, warehouseId, delta) {
  const key = { product_id: productId, warehouse_id: warehouseId };
  const changed = await trx('stock_levels')
    .where(key)
    .andWhere('quantity', delta > 0 ? '<=' : '>=', delta > 0 ? MAX_LEVEL - delta : -delta)
    .update({ quantity: trx.raw('quantity + ?', [delta]), updated_at: now() });
  if (Number(changed) === 1) return;
  // A locking read sees the latest commit, as the UPDATE did (MySQL's plain reads see
  // the transaction's snapshot); SQLite, where writes serialize, has no FOR UPDATE.
  const read = trx('stock_levels').where(key).first('quantity');
  if (trx.client.config.client !== 'better-sqlite3') read.forUpdate();
  const row = await read;
  const available = row === undefined ? null : Number(row.quantity);
  if (available === null && delta > 0) {
    try {
      await trx('stock_levels').insert({ ...key, quantity: delta, updated_at: now() });
    } catch (error) {
      // A concurrent movement made the row first: start over and update it.
      if (isUniqueViolation(error)) throw new TryAgain();
      throw error;
    }
    return;
  }
  if (available !== null && available + delta >= 0 && available + delta <= MAX_LEVEL) {
    // A concurrent movement committed between the UPDATE and this read: start over.
    throw new TryAgain();
  }
  if (delta > 0) throw new Conflict(`A stock level cannot exceed ${MAX_LEVEL} units`);
  throw new Conflict(`Insufficient stock: ${available ?? 0} available, ${-delta} requested`);
}

/**
 * Write one movement: its level changes first (so that SQLite takes its write lock
 * before reading anything in the transaction), then the product check, the ledger
 * entries and the levels as they now stand.
 * @param {import('knex').Knex} db
 * @param {number} actorId
 * @param {any} data
 * @param {number} productId
 * @param {Leg[]} legs
 */
function record(db, actorId, data, productId, legs) {
  return db.transaction(async (trx) => {
    // In warehouse order, so that two transfers between the same warehouses lock their
    // rows in the same order and cannot deadlock.
    for (const leg of [...legs].sort((a, b) => a.warehouseId - b.warehouseId)) {
      await changeLevel(trx, productId, leg.warehouseId, leg.delta);
    }
    const product = await trx('products').where({ id: productId }).first('is_active');
    if (!product.is_active) throw new Conflict('Product is inactive: it takes no movements');
    const transferId = data.type === 'transfer' ? crypto.randomUUID().replace(/-/g, '') : null;
    const time = now();
    const ids = [];
    for (const leg of legs) {
      const row = {
        type: data.type,
        product_id: productId,
        warehouse_id: leg.warehouseId,
        quantity: leg.delta,
        reason: data.reason,
        transfer_id: transferId,
        counterpart_warehouse_id: leg.counterpartId,
        created_by_id: actorId,
        created_at: time,
      };
      ids.push(await insert(trx, 'movements', row));
    }
    const movements = await trx('movements').whereIn('id', ids).orderBy('id');
    const levels = [];
    for (const leg of legs) {
      levels.push(
        await trx('stock_levels')
          .where({ product_id: productId, warehouse_id: leg.warehouseId })
          .first(),
      );
    }
    return { movements: movements.map(movementToPublic), levels: levels.map(levelToPublic) };
  });
}

/**
 * Apply a movement and return what it wrote.
 *
 * A transaction the database fails over a deadlock or a lock wait, or that loses the
 * race to make a new level row, is tried again, up to `attempts` times in all.
 * NotFound: the product or a warehouse does not exist. Conflict: the product is
 * inactive, or a level would leave 0..MAX_LEVEL; then nothing is written.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} actor a manager or an admin
 * @param {any} data the validated movementCreate
 * @param {number} attempts
 */
async function recordMovement(db, actor, data, attempts) {
  const product = await getProduct(db, data.product_id);
  if (!product.is_active) throw new Conflict('Product is inactive: it takes no movements');
  const legs = await legsOf(db, data);
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await record(db, actor.id, data, Number(product.id), legs);
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (!(error instanceof TryAgain || isRetryable(error))) throw error;
      // A short, growing, jittered pause before the next attempt.
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
  throw new Conflict('The stock changed too often to apply the movement; try again');
}

module.exports = { levelToPublic, movementToPublic, listLevels, listMovements, recordMovement };
