'use strict';
/**
 * Report shapes: low stock and valuation.
 * @module schemas/reports
 */
const { z } = require('zod');

const { pageQuery, queryText } = require('./common');
const { queryId } = require('./fields');
const { MAX_CATEGORY_LENGTH } = require('./products');

/** Filters of GET /reports/low-stock. */
const lowStockQuery = pageQuery.extend({
  category: queryText.pipe(z.string().max(MAX_CATEGORY_LENGTH)).optional(),
});

/** An active product whose total stock is at or below its threshold. */
const lowStockItem = z.object({
  product_id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  low_stock_threshold: z.number().int(),
  quantity: z.number().int().describe('units across every warehouse'),
});

/** Filters of GET /reports/valuation. */
const valuationQuery = z.object({ warehouse_id: queryId.optional() });

/** Stock value per currency, sorted by currency; a currency with no stock is left out. */
const valuation = z.object({
  totals: z.array(
    z.object({
      currency: z.string(),
      amount: z.number().int().describe('the sum of level x price, in minor units'),
      units: z.number().int(),
    }),
  ),
});

module.exports = { lowStockQuery, lowStockItem, valuationQuery, valuation };
