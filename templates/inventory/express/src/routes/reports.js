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
    ({ db, query }) => reports.valuation(db, query),
  );
};
