'use strict';
/**
 * Reports computed from the stock levels: low stock, and stock value per currency.
 * @module services/reports
 */
const { paginate } = require('./pagination');
const { getWarehouse } = require('./warehouses');

/**
 * Active products whose stock across all warehouses is at or below their threshold.
 * @param {import('knex').Knex} db
 * @param {any} query the validated lowStockQuery
 */
function lowStock(db, query) {
  const totals = db('stock_levels')
    .select('product_id')
    .sum({ quantity: 'quantity' })
    .groupBy('product_id')
    .as('totals');
  const products = db('products')
    .leftJoin(totals, 'totals.product_id', 'products.id')
    .where('products.is_active', true)
    .whereRaw('COALESCE(totals.quantity, 0) <= products.low_stock_threshold')
    .select(
      'products.id',
      'products.sku',
      'products.name',
      'products.low_stock_threshold',
      db.raw('COALESCE(totals.quantity, 0) AS quantity'),
    );
  if (query.category !== undefined) products.where('products.category', query.category);
  return paginate(
    db,
    products,
    query,
    (q) => q.orderBy('products.sku'),
    (row) => ({
      product_id: Number(row.id),
      sku: row.sku,
      name: row.name,
      low_stock_threshold: Number(row.low_stock_threshold),
      // PostgreSQL sums into bigint (text here), MySQL into DECIMAL.
      quantity: Number(row.quantity),
    }),
  );
}

/**
 * The value of the stock (level x price) per currency, in minor units, optionally for
 * one warehouse. Amounts are multiplied in BigInt, where they cannot lose precision.
 * @param {import('knex').Knex} db
 * @param {{warehouse_id?: number}} query
 */
async function valuation(db, query) {
  const rows = db('products')
    .join('stock_levels', 'stock_levels.product_id', 'products.id')
    .where('stock_levels.quantity', '>', 0)
    .groupBy('products.id', 'products.price_currency', 'products.price_amount')
    .select('products.price_currency', 'products.price_amount')
    .sum({ quantity: 'stock_levels.quantity' });
  if (query.warehouse_id !== undefined) {
    await getWarehouse(db, query.warehouse_id);
    rows.where('stock_levels.warehouse_id', query.warehouse_id);
  }
  /** @type {Map<string, {amount: bigint, units: bigint}>} */
  const totals = new Map();
  // knex types a select with a sum as the sum alone. Drivers give numbers or strings.
  /** @typedef {{price_currency: string, price_amount: string | number, quantity: string | number}} Row */
  const found = /** @type {Row[]} */ (/** @type {unknown} */ (await rows));
  for (const row of found) {
    const total = totals.get(row.price_currency) || { amount: 0n, units: 0n };
    const units = BigInt(row.quantity);
    total.amount += BigInt(row.price_amount) * units;
    total.units += units;
    totals.set(row.price_currency, total);
  }
  return {
    totals: [...totals.keys()].sort().map((currency) => {
      const total = /** @type {{amount: bigint, units: bigint}} */ (totals.get(currency));
      // BigInts: a price up to 10**15 times a level can pass 2**53, where a JS number
      // stops being exact (and from 10**21 prints as 1e+21). The route writes digits.
      return { currency, amount: total.amount, units: total.units };
    }),
  };
}

module.exports = { lowStock, valuation };
