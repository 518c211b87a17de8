'use strict';
/**
 * Indexes for every sort of the task list (docs/list-indexes.md).
 *
 * Title and updated_at get plain indexes on every database. The sorts by priority and
 * by due date (tasks without one last, either way) order by expressions, which
 * PostgreSQL indexes: those indexes are made there only, as services/tasks.js spells
 * the expressions; the other databases sort those pages as before.
 */
const { postgresqlIndexes } = require('../db/postgresql-indexes');

const postgresqlOnly = postgresqlIndexes('tasks', {
  ix_tasks_priority_rank: "((priority = 'high'), (priority = 'medium'), id)",
  ix_tasks_due_date_nulls_last: '((due_date IS NULL), due_date, id)',
  ix_tasks_due_date_desc_nulls_last: '((due_date IS NULL), due_date DESC, id DESC)',
});

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('tasks', (table) => {
    table.index(['title']);
    table.index(['updated_at']);
  });
  await postgresqlOnly.up(knex);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await postgresqlOnly.down(knex);
  await knex.schema.alterTable('tasks', (table) => {
    table.dropIndex(['title']);
    table.dropIndex(['updated_at']);
  });
};
