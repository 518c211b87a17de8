'use strict';
/**
 * Trigram indexes for the product search q (docs/list-indexes.md).
 *
 * PostgreSQL only, as services/products.js spells the search: lower(column) LIKE
 * '%...%', which pg_trgm's GIN indexes serve. The other databases search as before.
 */
const POSTGRESQL_INDEXES = {
  ix_products_sku_trgm: 'USING gin (lower(sku) gin_trgm_ops)',
  ix_products_name_trgm: 'USING gin (lower(name) gin_trgm_ops)',
};

/** @param {import('knex').Knex} knex */
function postgresql(knex) {
  return knex.client.config.client === 'pg';
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (!postgresql(knex)) return;
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  for (const [name, how] of Object.entries(POSTGRESQL_INDEXES)) {
    await knex.raw(`CREATE INDEX ${name} ON products ${how}`);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (!postgresql(knex)) return;
  for (const name of Object.keys(POSTGRESQL_INDEXES)) await knex.raw(`DROP INDEX ${name}`);
};
