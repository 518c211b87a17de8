'use strict';
/**
 * Products: admins create and change them; everyone signed in reads them.
 * Products are never deleted: is_active false retires one.
 * @module services/products
 */
const { Conflict, NotFound } = require('../core/errors');
const { insert, isUniqueViolation, isoTimestamp, now } = require('../db');
const { parseId } = require('../schemas/common');
const { paginateKeyset, parseText } = require('./keyset');
const { likeLiteral } = require('./text');

const SKU_TAKEN = 'A product with this SKU exists';

/** The list's one sort, by SKU. */
const SORT = 'sku';
/**
 * Its keys: the SKU is unique, so it alone orders the rows and makes the cursor;
 * uq_products_sku serves the page at any depth.
 * @type {import('./keyset').Key[]}
 */
const SORT_KEYS = [{ sql: 'sku', value: (row) => row.sku, parse: parseText }];

/**
 * A product as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    sku: row.sku,
    name: row.name,
    description: row.description ?? null,
    price: { amount: Number(row.price_amount), currency: row.price_currency },
    category: row.category ?? null,
    is_active: Boolean(row.is_active),
    low_stock_threshold: Number(row.low_stock_threshold),
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
  };
}

/**
 * A product row by id, or NotFound.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {number} productId
 */
async function getProduct(db, productId) {
  const product =
    parseId(String(productId)) === null
      ? undefined
      : await db('products').where({ id: productId }).first();
  if (!product) throw new NotFound('Product not found');
  return product;
}

/**
 * One page of products, sorted by SKU, filtered by category, status and text, by offset
 * or after a cursor; the total is counted up to 10,000.
 * @param {import('knex').Knex} db
 * @param {any} query the validated productQuery
 * @param {boolean} [offsetGiven] whether the request named an offset
 */
function listProducts(db, query, offsetGiven = false) {
  const products = db('products');
  if (query.category !== undefined) products.where('category', query.category);
  if (query.is_active !== undefined) products.where('is_active', query.is_active);
  if (query.q !== undefined) {
    const needle = `%${likeLiteral(query.q.toLowerCase())}%`;
    products.where((q) =>
      q
        .whereRaw("lower(sku) LIKE ? ESCAPE '!'", [needle])
        .orWhereRaw("lower(name) LIKE ? ESCAPE '!'", [needle]),
    );
  }
  const page = { ...query, sort: SORT };
  return paginateKeyset(db, products, page, offsetGiven, SORT_KEYS, toPublic);
}

/**
 * Create a product; a taken SKU is a Conflict, also when two requests race.
 * @param {import('knex').Knex} db
 * @param {any} data the validated productCreate
 */
async function createProduct(db, data) {
  if (await db('products').where({ sku: data.sku }).first('id')) throw new Conflict(SKU_TAKEN);
  const time = now();
  const { price, ...fields } = data;
  let id;
  try {
    id = await insert(db, 'products', {
      ...fields,
      price_amount: price.amount,
      price_currency: price.currency,
      created_at: time,
      updated_at: time,
    });
  } catch (error) {
    // Another request took the SKU between the check and the insert.
    if (isUniqueViolation(error)) throw new Conflict(SKU_TAKEN);
    throw error;
  }
  return toPublic(await getProduct(db, id));
}

/**
 * Change the given fields of a product; is_active false retires it.
 * @param {import('knex').Knex} db
 * @param {number} productId
 * @param {any} changes the validated productUpdate
 */
async function updateProduct(db, productId, changes) {
  const product = await getProduct(db, productId);
  const { price, ...fields } = changes;
  /** @type {Record<string, unknown>} */
  const values = { ...fields };
  if (price !== undefined) {
    values.price_amount = price.amount;
    values.price_currency = price.currency;
  }
  if (Object.keys(values).length) {
    await db('products')
      .where({ id: product.id })
      .update({ ...values, updated_at: now() });
  }
  return toPublic(await getProduct(db, product.id));
}

module.exports = { toPublic, getProduct, listProducts, createProduct, updateProduct };
