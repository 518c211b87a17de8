'use strict';
/**
 * What the cache keeps (http/cache.js): the list of products and the reports, and the
 * writes that change them. Every signed-in user sees the same answers.
 * @module http/cache-rules
 */

/** @type {Record<string, import('./cache').ReadRule>} */
const reads = {
  'GET /products': { namespace: 'products', scope: 'public' },
  'GET /reports/low-stock': { namespace: 'reports', scope: 'public' },
  'GET /reports/valuation': { namespace: 'reports', scope: 'public' },
};

/**
 * The writes, and the namespaces each changes: a product's price and threshold, and
 * every movement of stock, count in the reports.
 * @type {Record<string, readonly string[]>}
 */
const writes = {
  'POST /products': ['products', 'reports'],
  'PATCH /products/{product_id}': ['products', 'reports'],
  'POST /movements': ['products', 'reports'],
};

module.exports = { reads, writes };
