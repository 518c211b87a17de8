'use strict';
/**
 * Trigram indexes for the product search q (docs/list-indexes.md).
 *
 * PostgreSQL only, as services/products.js spells the search: lower(column) LIKE
 * '%...%', which pg_trgm's GIN indexes serve. The other databases search as before.
 */
const { postgresqlIndexes } = require('../db/postgresql-indexes');

const POSTGRESQL_INDEXES = {
  ix_products_sku_trgm: 'USING gin (lower(sku) gin_trgm_ops)',
  ix_products_name_trgm: 'USING gin (lower(name) gin_trgm_ops)',
};

module.exports = postgresqlIndexes('products', POSTGRESQL_INDEXES);
