'use strict';
/**
 * Sessions (refresh tokens), login throttling, MFA, password resets and the outbox.
 */

const TABLES = [
  'refresh_tokens',
  'login_attempts',
  'totp_credentials',
  'recovery_codes',
  'password_reset_tokens',
  'outbox',
];

/**
 * The owner of a row: deleting a user deletes their sessions, codes and tokens.
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {string} name
 */
function userId(table, name) {
  table
    .integer('user_id')
    .unsigned()
    .notNullable()
    .references('id')
    .inTable('users')
    .onDelete('CASCADE')
    .withKeyName(`fk_${name}_user_id_users`);
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  // UTC timestamps, with microseconds on MySQL too (DATETIME(6)).
  const timestamp = (
    /** @type {import('knex').Knex.CreateTableBuilder} */ table,
    /** @type {string} */ name,
  ) => table.datetime(name, { precision: 6 });

  await knex.schema.createTable('refresh_tokens', (table) => {
    table.increments('id').primary();
    userId(table, 'refresh_tokens');
    table.string('family_id', 32).notNullable();
    // HMAC-SHA256 digests (hex): the tokens themselves are never stored.
    table.string('token_hash', 64).notNullable().unique('uq_refresh_tokens_token_hash');
    timestamp(table, 'created_at').notNullable();
    timestamp(table, 'expires_at').notNullable();
    timestamp(table, 'used_at').nullable();
    timestamp(table, 'revoked_at').nullable();
    table.index(['user_id'], 'ix_refresh_tokens_user_id');
    table.index(['family_id'], 'ix_refresh_tokens_family_id');
  });

  await knex.schema.createTable('login_attempts', (table) => {
    table.increments('id').primary();
    table.string('email', 320).notNullable();
    timestamp(table, 'created_at').notNullable();
    table.index(['email', 'created_at'], 'ix_login_attempts_email_created_at');
  });

  await knex.schema.createTable('totp_credentials', (table) => {
    table.increments('id').primary();
    userId(table, 'totp_credentials');
    table.unique(['user_id'], { indexName: 'uq_totp_credentials_user_id' });
    // Sealed with AES-256-GCM under a key derived from SECRET_KEY.
    table.string('secret', 255).notNullable();
    timestamp(table, 'confirmed_at').nullable();
    table.integer('last_used_step').nullable();
    timestamp(table, 'created_at').notNullable();
  });

  await knex.schema.createTable('recovery_codes', (table) => {
    table.increments('id').primary();
    userId(table, 'recovery_codes');
    table.string('code_hash', 64).notNullable().unique('uq_recovery_codes_code_hash');
    timestamp(table, 'used_at').nullable();
    timestamp(table, 'created_at').notNullable();
    table.index(['user_id'], 'ix_recovery_codes_user_id');
  });

  await knex.schema.createTable('password_reset_tokens', (table) => {
    table.increments('id').primary();
    userId(table, 'password_reset_tokens');
    table.string('token_hash', 64).notNullable().unique('uq_password_reset_tokens_token_hash');
    timestamp(table, 'created_at').notNullable();
    timestamp(table, 'expires_at').notNullable();
    timestamp(table, 'used_at').nullable();
    table.index(['user_id'], 'ix_password_reset_tokens_user_id');
  });

  await knex.schema.createTable('outbox', (table) => {
    table.increments('id').primary();
    table.string('recipient', 320).notNullable();
    table.string('subject', 200).notNullable();
    table.text('body').notNullable();
    timestamp(table, 'created_at').notNullable();
    table.index(['recipient'], 'ix_outbox_recipient');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // The indexes go with the tables (MySQL refuses to drop one a foreign key needs).
  for (const table of [...TABLES].reverse()) await knex.schema.dropTable(table);
};
