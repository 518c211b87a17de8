'use strict';
/**
 * Indexes for the capped totals of the task list (docs/list-indexes.md).
 *
 * A user's tasks by status and priority, owned or assigned (the assignee's with the
 * owner, to leave out their own tasks), and every task by status and priority in the
 * list's order: the total is read from these indexes alone, up to its cap. Plain
 * indexes, on every database.
 */
const INDEXES = {
  ix_tasks_owner_status: ['owner_id', 'status', 'priority'],
  ix_tasks_assignee_status: ['assignee_id', 'status', 'priority', 'owner_id'],
  ix_tasks_status_priority_time: ['status', 'priority', 'created_at', 'id'],
};

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('tasks', (table) => {
    for (const [name, columns] of Object.entries(INDEXES)) table.index(columns, name);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('tasks', (table) => {
    for (const [name, columns] of Object.entries(INDEXES)) table.dropIndex(columns, name);
  });
};
