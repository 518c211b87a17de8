'use strict';
/**
 * Stock levels per product and warehouse.
 * @module routes/stock
 */
const { stockLevelPublic, stockQuery } = require('../schemas/stock');
const stock = require('../services/stock');
const { pageOf } = require('../schemas/common');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/stock',
      summary: 'Stock levels per product and warehouse, filtered by product and warehouse',
      auth: 'user',
      query: stockQuery,
      response: pageOf(stockLevelPublic),
    },
    ({ db, query }) => stock.listLevels(db, query),
  );
};
