'use strict';
/**
 * Reports: low stock and stock value.
 * @module routes/reports
 */
const { lowStockItem, lowStockQuery, valuation, valuationQuery } = require('../schemas/reports');
const reports = require('../services/reports');
const { pageOf } = require('../schemas/common');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/reports/low-stock',
      summary: 'Active products whose total stock is at or below their threshold',
      auth: 'user',
      query: lowStockQuery,
      response: pageOf(lowStockItem),
    },
    ({ db, query }) => reports.lowStock(db, query),
  );
  api.route(
    {
      method: 'GET',
      path: '/reports/valuation',
      summary: 'Stock value per currency (level x price, in minor units)',
      auth: 'user',
      query: valuationQuery,
      response: valuation,
      errors: { 404: 'Warehouse not found' },
    },
    async ({ db, query, res }) => {
      res.type('json').send(exactJson(await reports.valuation(db, query)));
    },
  );
};

/** Marks a BigInt for exactJson; JSON.stringify writes the NUL as \u0000. */
const BIG = '\u0000bigint:';

/**
 * JSON in which BigInts are exact integer literals (JSON.stringify refuses them).
 * No text of a valuation holds the mark: currencies are three capital letters.
 * @param {unknown} value
 */
function exactJson(value) {
  const text = JSON.stringify(value, (_key, item) =>
    typeof item === 'bigint' ? `${BIG}${item}` : item,
  );
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
