'use strict';
/**
 * Products, warehouses, stock levels and the movements ledger.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const mysql = knex.client.config.client === 'mysql2';
  /**
   * SKUs and warehouse codes are compared and sorted by their bytes (MySQL's default
   * collation would sort "A-1" and "A1" by other rules).
   * @param {import('knex').Knex.ColumnBuilder} column
   */
  const exact = (column) => (mysql ? column.collate('utf8mb4_bin') : column);
  /**
   * @param {import('knex').Knex.CreateTableBuilder} table
   * @param {string} name
   * @param {string} target
   */
  const reference = (table, name, target) =>
    table.integer(name).unsigned().references('id').inTable(target);

  await knex.schema.createTable('products', (table) => {
    table.increments('id').primary();
    exact(table.string('sku', 32).notNullable()).unique({ indexName: 'uq_products_sku' });
    table.string('name', 200).notNullable();
    table.text('description').nullable();
    // Minor units (cents): up to 10**15, more than an INTEGER holds.
    table.bigInteger('price_amount').notNullable();
    table.string('price_currency', 3).notNullable();
    table.string('category', 100).nullable().index('ix_products_category');
    table.boolean('is_active').notNullable().index('ix_products_is_active');
    table.integer('low_stock_threshold').notNullable();
    table.datetime('created_at', { precision: 6 }).notNullable();
    table.datetime('updated_at', { precision: 6 }).notNullable();
  });
  await knex.schema.createTable('warehouses', (table) => {
    table.increments('id').primary();
    exact(table.string('code', 32).notNullable()).unique({ indexName: 'uq_warehouses_code' });
    table.string('name', 200).notNullable();
    table.datetime('created_at', { precision: 6 }).notNullable();
  });
  await knex.schema.createTable('stock_levels', (table) => {
    reference(table, 'product_id', 'products').notNullable();
    reference(table, 'warehouse_id', 'warehouses')
      .notNullable()
      .index('ix_stock_levels_warehouse_id');
    table.integer('quantity').notNullable();
    table.datetime('updated_at', { precision: 6 }).notNullable();
    table.primary(['product_id', 'warehouse_id'], 'pk_stock_levels');
    // The last line of defence: the services never let a level go below zero.
    table.check('?? >= 0', ['quantity'], 'ck_stock_levels_quantity_not_negative');
  });
  await knex.schema.createTable('movements', (table) => {
    table.increments('id').primary();
    table.string('type', 20).notNullable().index('ix_movements_type');
    reference(table, 'product_id', 'products').notNullable().index('ix_movements_product_id');
    reference(table, 'warehouse_id', 'warehouses').notNullable().index('ix_movements_warehouse_id');
    table.integer('quantity').notNullable();
    table.text('reason').nullable();
    table.string('transfer_id', 32).nullable().index('ix_movements_transfer_id');
    reference(table, 'counterpart_warehouse_id', 'warehouses')
      .nullable()
      .index('ix_movements_counterpart_warehouse_id');
    reference(table, 'created_by_id', 'users').notNullable().index('ix_movements_created_by_id');
    table.datetime('created_at', { precision: 6 }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // Children first.
  await knex.schema.dropTable('movements');
  await knex.schema.dropTable('stock_levels');
  await knex.schema.dropTable('warehouses');
  await knex.schema.dropTable('products');
};
