'use strict';
/**
 * Product shapes: create, update, read, list query.
 * @module schemas/products
 */
const { z } = require('zod');

const { money } = require('../core/money');
const { pageQuery, queryBool, queryText, text } = require('./common');
const { code, units } = require('./fields');

const MAX_NAME_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 10_000;
const MAX_CATEGORY_LENGTH = 100;

const name = text({ min: 1, max: MAX_NAME_LENGTH });
const description = text({ max: MAX_DESCRIPTION_LENGTH }).nullable();
const category = text({ min: 1, max: MAX_CATEGORY_LENGTH }).nullable();

/** A new product; sku, name and price are required. */
const productCreate = z.strictObject({
  sku: code,
  name,
  description: description.default(null),
  price: money,
  category: category.default(null),
  is_active: z.boolean().default(true),
  low_stock_threshold: units.default(0),
});

/**
 * Fields to change; those left out stay, null clears description and category.
 * The SKU cannot change: it is how other systems know the product.
 */
const productUpdate = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  price: money.optional(),
  category: category.optional(),
  is_active: z.boolean().optional(),
  low_stock_threshold: units.optional(),
});

/** A product as the API shows it. */
const productPublic = z.object({
  id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  price: money,
  category: z.string().nullable(),
  is_active: z.boolean(),
  low_stock_threshold: z.number().int(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

/** Filters of GET /products; q matches part of the SKU or the name. */
const productQuery = pageQuery.extend({
  category: queryText.pipe(z.string().max(MAX_CATEGORY_LENGTH)).optional(),
  is_active: queryBool.optional(),
  q: queryText.pipe(z.string().min(1).max(MAX_NAME_LENGTH)).optional(),
  // The next_cursor of a page: the page after it (instead of an offset).
  cursor: z.string().min(1).max(1024).optional(),
});

module.exports = {
  MAX_CATEGORY_LENGTH,
  productCreate,
  productUpdate,
  productPublic,
  productQuery,
};
