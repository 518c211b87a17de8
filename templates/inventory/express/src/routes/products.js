'use strict';
/**
 * Products: admins create and change them; everyone signed in reads them.
 * @module routes/products
 */
const { z } = require('zod');

const {
  productCreate,
  productPublic,
  productQuery,
  productUpdate,
} = require('../schemas/products');
const products = require('../services/products');
const { pageOf } = require('../schemas/common');

const NOT_FOUND = { 404: 'Product not found' };

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/products',
      summary: 'List products, filtered by category, status and text, sorted by SKU',
      auth: 'user',
      query: productQuery,
      response: pageOf(productPublic).extend({ next_cursor: z.string().nullable() }),
    },
    ({ req, db, query }) => products.listProducts(db, query, 'offset' in req.query),
  );
  api.route(
    {
      method: 'POST',
      path: '/products',
      summary: 'Create a product',
      auth: 'admin',
      body: productCreate,
      response: productPublic,
      status: 201,
      errors: { 409: 'A product with this SKU exists' },
    },
    ({ db, body }) => products.createProduct(db, body),
  );
  api.route(
    {
      method: 'GET',
      path: '/products/{product_id}',
      summary: 'Read a product',
      auth: 'user',
      response: productPublic,
      errors: NOT_FOUND,
    },
    async ({ db, params }) => products.toPublic(await products.getProduct(db, params.product_id)),
  );
  api.route(
    {
      method: 'PATCH',
      path: '/products/{product_id}',
      summary: 'Change a product, or retire it with is_active false',
      auth: 'admin',
      body: productUpdate,
      response: productPublic,
      errors: NOT_FOUND,
    },
    ({ db, params, body }) => products.updateProduct(db, params.product_id, body),
  );
};
