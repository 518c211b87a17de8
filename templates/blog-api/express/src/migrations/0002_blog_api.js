'use strict';
/**
 * Posts, tags and the links between them, and comments.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const client = knex.client.config.client;
  const mysql = client === 'mysql2';
  /**
   * Slugs and tag names are compared exactly (MySQL's default collation would call
   * "A" and "a" the same) and sort by their bytes on every database.
   * @param {import('knex').Knex.ColumnBuilder} column
   */
  const exact = (column) => (mysql ? column.collate('utf8mb4_bin') : column);

  await knex.schema.createTable('posts', (table) => {
    table.increments('id').primary();
    table
      .integer('author_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE')
      .index('ix_posts_author_id');
    table.string('title', 200).notNullable();
    exact(table.string('slug', 220).notNullable()).unique({ indexName: 'uq_posts_slug' });
    // Bodies of up to 100000 characters: MEDIUMTEXT on MySQL, whose TEXT holds 64 KiB.
    table.text('body', 'mediumtext').notNullable();
    table.string('status', 20).notNullable().index('ix_posts_status');
    table.datetime('published_at', { precision: 6 }).nullable().index('ix_posts_published_at');
    table.datetime('created_at', { precision: 6 }).notNullable();
    table.datetime('updated_at', { precision: 6 }).notNullable();
  });
  await knex.schema.createTable('tags', (table) => {
    table.increments('id').primary();
    exact(table.string('name', 30).notNullable()).unique({ indexName: 'uq_tags_name' });
  });
  await knex.schema.createTable('post_tags', (table) => {
    table
      .integer('post_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('posts')
      .onDelete('CASCADE');
    table
      .integer('tag_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('tags')
      .onDelete('CASCADE')
      .index('ix_post_tags_tag_id');
    table.primary(['post_id', 'tag_id'], 'pk_post_tags');
  });
  await knex.schema.createTable('comments', (table) => {
    table.increments('id').primary();
    table
      .integer('post_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('posts')
      .onDelete('CASCADE')
      .index('ix_comments_post_id');
    table
      .integer('author_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE')
      .index('ix_comments_author_id');
    table.text('body').notNullable();
    table.datetime('created_at', { precision: 6 }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // Children first.
  await knex.schema.dropTable('comments');
  await knex.schema.dropTable('post_tags');
  await knex.schema.dropTable('tags');
  await knex.schema.dropTable('posts');
};
