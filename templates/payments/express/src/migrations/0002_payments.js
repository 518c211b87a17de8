'use strict';
/**
 * Customers, payments, refunds, idempotency keys, the ledger, webhook endpoints and the
 * outbox (events, deliveries, attempts). Amounts are integers in minor units (BIGINT).
 */

/**
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {string} column
 * @param {string} target
 * @param {'CASCADE' | 'SET NULL'} onDelete
 */
function reference(table, column, target, onDelete = 'CASCADE') {
  const ref = table.integer(column).unsigned();
  if (onDelete === 'CASCADE') ref.notNullable();
  else ref.nullable();
  table.foreign(column).references(`${target}.id`).onDelete(onDelete);
  table.index([column]);
}

/** @param {import('knex').Knex.CreateTableBuilder} table */
function timestamps(table) {
  table.datetime('created_at', { precision: 6 }).notNullable().index();
  table.datetime('updated_at', { precision: 6 }).notNullable();
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('customers', (table) => {
    table.increments('id').primary();
    reference(table, 'owner_id', 'users');
    table.string('name', 200).notNullable();
    table.string('email', 320).notNullable().index();
    timestamps(table);
  });

  await knex.schema.createTable('payments', (table) => {
    table.increments('id').primary();
    reference(table, 'owner_id', 'users');
    reference(table, 'customer_id', 'customers', 'SET NULL');
    table.bigInteger('amount').notNullable();
    table.bigInteger('amount_refunded').notNullable().defaultTo(0);
    table.string('currency', 3).notNullable().index();
    table.string('description', 500).nullable();
    // pending -> succeeded | failed; succeeded -> partially_refunded | refunded
    table.string('status', 20).notNullable().index();
    // Never the card number: its brand and last four digits are all that is kept.
    table.string('card_brand', 20).notNullable();
    table.string('card_last4', 4).notNullable();
    table.integer('card_exp_month').nullable();
    table.integer('card_exp_year').nullable();
    table.string('failure_code', 40).nullable();
    table.string('failure_message', 200).nullable();
    timestamps(table);
  });

  await knex.schema.createTable('refunds', (table) => {
    table.increments('id').primary();
    reference(table, 'owner_id', 'users');
    reference(table, 'payment_id', 'payments');
    table.bigInteger('amount').notNullable();
    table.string('currency', 3).notNullable();
    table.string('reason', 200).nullable();
    table.datetime('created_at', { precision: 6 }).notNullable().index();
  });

  // The first response to an Idempotency-Key of a user; the unique (owner, key) row is
  // inserted in the transaction that charges, so a concurrent retry waits for it.
  await knex.schema.createTable('idempotency_keys', (table) => {
    table.increments('id').primary();
    table.integer('owner_id').unsigned().notNullable();
    table.foreign('owner_id').references('users.id').onDelete('CASCADE');
    table.string('key', 255).notNullable().collate('utf8mb4_bin');
    // An HMAC of the request keyed with SECRET_KEY (it holds the card number).
    table.string('request_hash', 64).notNullable();
    table.integer('status_code').nullable();
    table.text('response_body').nullable();
    table.datetime('created_at', { precision: 6 }).notNullable();
    table.unique(['owner_id', 'key'], { indexName: 'uq_idempotency_keys_owner_key' });
  });

  await knex.schema.createTable('ledger_entries', (table) => {
    table.increments('id').primary();
    reference(table, 'owner_id', 'users');
    reference(table, 'payment_id', 'payments');
    table.integer('refund_id').unsigned().nullable();
    table.foreign('refund_id').references('refunds.id').onDelete('CASCADE');
    table.index(['refund_id']);
    table.string('type', 20).notNullable(); // charge (+amount) or refund (-amount)
    table.bigInteger('amount').notNullable();
    table.string('currency', 3).notNullable().index();
    table.datetime('created_at', { precision: 6 }).notNullable().index();
  });

  await knex.schema.createTable('webhook_endpoints', (table) => {
    table.increments('id').primary();
    reference(table, 'owner_id', 'users');
    table.string('url', 2000).notNullable();
    table.string('description', 200).nullable();
    // Kept as is: the worker signs with it. Shown once, when the endpoint is made.
    table.string('secret', 100).notNullable();
    table.datetime('created_at', { precision: 6 }).notNullable().index();
  });

  await knex.schema.createTable('events', (table) => {
    table.increments('id').primary();
    reference(table, 'owner_id', 'users');
    table.string('type', 40).notNullable().index();
    table.integer('payment_id').unsigned().nullable();
    table.foreign('payment_id').references('payments.id').onDelete('CASCADE');
    table.index(['payment_id']);
    // The exact JSON every endpoint receives (signatures cover these bytes).
    table.text('body').notNullable();
    table.datetime('created_at', { precision: 6 }).notNullable().index();
  });

  await knex.schema.createTable('deliveries', (table) => {
    table.increments('id').primary();
    reference(table, 'event_id', 'events');
    reference(table, 'endpoint_id', 'webhook_endpoints');
    // pending (due at next_attempt_at) -> succeeded | failed (attempts used up)
    table.string('status', 20).notNullable();
    table.integer('attempt_count').notNullable().defaultTo(0);
    // When a pending delivery is due; while a worker holds it, when its lease ends.
    table.datetime('next_attempt_at', { precision: 6 }).nullable();
    table.string('claim_token', 32).nullable();
    table.integer('last_status_code').nullable();
    table.string('last_error', 500).nullable();
    table.datetime('delivered_at', { precision: 6 }).nullable();
    timestamps(table);
    // The worker's query: pending deliveries by due time.
    table.index(['status', 'next_attempt_at'], 'ix_deliveries_status_next_attempt_at');
  });

  await knex.schema.createTable('delivery_attempts', (table) => {
    table.increments('id').primary();
    reference(table, 'delivery_id', 'deliveries');
    table.datetime('attempted_at', { precision: 6 }).notNullable();
    table.integer('status_code').nullable();
    table.string('error', 500).nullable();
    table.integer('duration_ms').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'delivery_attempts',
    'deliveries',
    'events',
    'webhook_endpoints',
    'ledger_entries',
    'idempotency_keys',
    'refunds',
    'payments',
    'customers',
  ]) {
    await knex.schema.dropTable(table);
  }
};
