'use strict';
/**
 * An index for the capped total of the product list (docs/list-indexes.md).
 *
 * Products by category and status, in SKU order: the total of a category's active (or
 * retired) products is read from it alone, up to its cap, and their page by cursor is
 * one range of it. A plain index, on every database.
 */
const INDEXES = {
  ix_products_category_active: ['category', 'is_active', 'sku'],
};

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('products', (table) => {
    for (const [name, columns] of Object.entries(INDEXES)) table.index(columns, name);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('products', (table) => {
    for (const [name, columns] of Object.entries(INDEXES)) table.dropIndex(columns, name);
  });
};
