'use strict';
/**
 * Indexes for the post list's cursor pages and capped totals (docs/pagination.md).
 *
 * PostgreSQL only, as services/posts.js spells the keys (published_at IS NOT NULL,
 * published_at, id): within a status, and within an author's posts of a status, so that
 * a page after a cursor and the total up to its cap are each one range of an index.
 * They replace 0004's ix_posts_status_published_order (the order's former spelling).
 * And the slugs by bytes: each create reads those that start with its title's slug and
 * "-" for the next free number (LIKE 'base-%'), which the unique index, in the
 * database's collation, cannot serve as a range.
 */
const { postgresqlIndexes } = require('../db/postgresql-indexes');

const KEYS = '(published_at IS NOT NULL), published_at, id';
const added = postgresqlIndexes('posts', {
  ix_posts_status_keyset: `(status, ${KEYS})`,
  ix_posts_author_keyset: `(author_id, status, ${KEYS})`,
  ix_posts_slug_prefix: '(slug varchar_pattern_ops)',
});
const former = postgresqlIndexes('posts', {
  ix_posts_status_published_order: '(status, (published_at IS NULL), published_at DESC, id DESC)',
});

module.exports = {
  /** @param {import('knex').Knex} knex */
  async up(knex) {
    await added.up(knex);
    await former.down(knex);
  },
  /** @param {import('knex').Knex} knex */
  async down(knex) {
    await former.up(knex);
    await added.down(knex);
  },
};
