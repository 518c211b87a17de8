'use strict';
/**
 * Indexes for the post list's order and its text search (docs/list-indexes.md).
 *
 * PostgreSQL only, as services/posts.js spells the expressions: the order of the list
 * within a status (newest published first, never published drafts last), and trigram
 * indexes (pg_trgm) for q's lower(...) LIKE '%...%'. The other databases filter and
 * sort those pages as before.
 */
const POSTGRESQL_INDEXES = {
  ix_posts_status_published_order: '(status, (published_at IS NULL), published_at DESC, id DESC)',
  ix_posts_title_trgm: 'USING gin (lower(title) gin_trgm_ops)',
  ix_posts_body_trgm: 'USING gin (lower(body) gin_trgm_ops)',
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
    await knex.raw(`CREATE INDEX ${name} ON posts ${how}`);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (!postgresql(knex)) return;
  for (const name of Object.keys(POSTGRESQL_INDEXES)) await knex.raw(`DROP INDEX ${name}`);
};
