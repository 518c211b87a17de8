'use strict';
/**
 * Projects, tasks and comments.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const mysql = knex.client.config.client === 'mysql2';
  await knex.schema.createTable('projects', (table) => {
    table.increments('id').primary();
    table
      .integer('owner_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    // Names are compared exactly on every database: MySQL's default collation would
    // also call "Home" and "home" the same name.
    const name = table.string('name', 100).notNullable();
    if (mysql) name.collate('utf8mb4_bin');
    table.text('description').nullable();
    table.datetime('created_at', { precision: 6 }).notNullable();
    table.datetime('updated_at', { precision: 6 }).notNullable();
    // Leads with owner_id, so it also indexes the foreign key.
    table.unique(['owner_id', 'name'], { indexName: 'uq_projects_owner_id_name' });
  });
  await knex.schema.createTable('tasks', (table) => {
    table.increments('id').primary();
    table
      .integer('owner_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    table.string('title', 200).notNullable();
    table.text('description').nullable();
    table.string('status', 20).notNullable().index();
    table.string('priority', 20).notNullable().index();
    table.date('due_date').nullable().index();
    // Deleting a project detaches its tasks; deleting a user unassigns theirs.
    table
      .integer('project_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('projects')
      .onDelete('SET NULL');
    table
      .integer('assignee_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('users')
      .onDelete('SET NULL');
    table.datetime('created_at', { precision: 6 }).notNullable().index();
    table.datetime('updated_at', { precision: 6 }).notNullable();
    table.index(['owner_id']);
    table.index(['project_id']);
    table.index(['assignee_id']);
  });
  await knex.schema.createTable('comments', (table) => {
    table.increments('id').primary();
    table
      .integer('task_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('tasks')
      .onDelete('CASCADE');
    table
      .integer('author_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    table.text('body').notNullable();
    table.datetime('created_at', { precision: 6 }).notNullable();
    table.index(['task_id']);
    table.index(['author_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('comments');
  await knex.schema.dropTable('tasks');
  await knex.schema.dropTable('projects');
};
