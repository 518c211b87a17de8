'use strict';
/**
 * Indexes of the payment list, one per filter in its order (docs/pagination.md).
 *
 * GET /payments sorts newest first, (created_at, id) descending. Each index holds a
 * filter (a merchant's own payments, a status, a currency, a customer, or none for an
 * admin) followed by that order: the page is one range of it, also after a cursor at
 * any depth, and the total reads it alone up to its cap. Plain indexes, on every
 * database. The status indexes end with the currency: status and currency together are
 * counted from the index alone too.
 */
const INDEXES = {
  ix_payments_created_id: ['created_at', 'id'],
  ix_payments_owner_created: ['owner_id', 'created_at', 'id'],
  ix_payments_status_created: ['status', 'created_at', 'id', 'currency'],
  ix_payments_owner_status: ['owner_id', 'status', 'created_at', 'id', 'currency'],
  ix_payments_currency_created: ['currency', 'created_at', 'id'],
  ix_payments_owner_currency: ['owner_id', 'currency', 'created_at', 'id'],
  ix_payments_customer_created: ['customer_id', 'created_at', 'id'],
};

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('payments', (table) => {
    for (const [name, columns] of Object.entries(INDEXES)) table.index(columns, name);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('payments', (table) => {
    for (const [name, columns] of Object.entries(INDEXES)) table.dropIndex(columns, name);
  });
};
