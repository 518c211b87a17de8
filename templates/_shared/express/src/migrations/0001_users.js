'use strict';
/**
 * Users.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('users', (table) => {
    table.increments('id').primary();
    table.string('email', 320).notNullable().unique('uq_users_email');
    table.string('password_hash', 255).notNullable();
    table.string('role', 20).notNullable();
    table.boolean('is_active').notNullable();
    // UTC timestamps, with microseconds on MySQL too (DATETIME(6)).
    table.datetime('created_at', { precision: 6 }).notNullable();
    table.datetime('updated_at', { precision: 6 }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('users');
};
