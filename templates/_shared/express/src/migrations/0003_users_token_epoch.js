'use strict';
/**
 * Users: the token epoch, which ending every session moves on.
 *
 * Additive: existing users start at epoch 0. Tokens issued before this migration carry
 * no epoch and are refused, so everyone signs in once more after the upgrade.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('users', (table) => {
    table.integer('token_epoch').notNullable().defaultTo(0);
  });
};

/**
 * Plain ALTER TABLE on every database: knex would rebuild the table on SQLite, and
 * dropping the old one there deletes the rows that reference it (ON DELETE CASCADE).
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw('ALTER TABLE users DROP COLUMN token_epoch');
};
