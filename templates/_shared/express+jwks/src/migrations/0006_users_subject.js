'use strict';
/**
 * Users: the issuer's subject each one is (the feature jwks); none for a user made
 * before, unique where set.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('users', (table) => {
    table.string('subject', 255).nullable();
  });
  await knex.schema.alterTable('users', (table) => {
    table.unique(['subject'], { indexName: 'uq_users_subject' });
  });
};

/**
 * The index, then a plain ALTER TABLE (see 0003: knex would rebuild the table on SQLite).
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('users', (table) => {
    table.dropUnique(['subject'], 'uq_users_subject');
  });
  await knex.raw('ALTER TABLE users DROP COLUMN subject');
};
