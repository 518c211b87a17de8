'use strict';
/**
 * Indexes for the post list's order and its text search (docs/list-indexes.md).
 *
 * PostgreSQL only, as services/posts.js spells the expressions: the order of the list
 * within a status (newest published first, never published drafts last), and trigram
 * indexes (pg_trgm) for q's lower(...) LIKE '%...%'. The other databases filter and
 * sort those pages as before.
 */
const { postgresqlIndexes } = require('../db/postgresql-indexes');

const POSTGRESQL_INDEXES = {
  ix_posts_status_published_order: '(status, (published_at IS NULL), published_at DESC, id DESC)',
  ix_posts_title_trgm: 'USING gin (lower(title) gin_trgm_ops)',
  ix_posts_body_trgm: 'USING gin (lower(body) gin_trgm_ops)',
};

module.exports = postgresqlIndexes('posts', POSTGRESQL_INDEXES);
