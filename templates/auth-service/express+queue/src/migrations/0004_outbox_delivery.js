'use strict';
/**
 * The outbox's delivery by mail (feature "queue"): each message is `pending` until the
 * worker sent it (`sent`, sent_at) or gave up (`failed`), with its attempts and the
 * last error. Messages written before the feature are marked `failed`, never mailed:
 * their tokens have long expired, or will by the time anyone reads them.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('outbox', (table) => {
    table.string('status', 10).notNullable().defaultTo('pending');
    table.integer('attempts').notNullable().defaultTo(0);
    table.datetime('sent_at', { precision: 6 }).nullable();
    table.string('last_error', 500).nullable();
    // The sweeper's question: the pending messages, oldest first.
    table.index(['status', 'id'], 'ix_outbox_status_id');
  });
  await knex('outbox').update({
    status: 'failed',
    last_error: 'written before mail delivery was set up: not sent',
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('outbox', (table) => {
    table.dropIndex(['status', 'id'], 'ix_outbox_status_id');
  });
  await knex.schema.alterTable('outbox', (table) => {
    table.dropColumn('last_error');
    table.dropColumn('sent_at');
    table.dropColumn('attempts');
    table.dropColumn('status');
  });
};
