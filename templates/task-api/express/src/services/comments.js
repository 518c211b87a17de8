'use strict';
/**
 * Comment rules: whoever sees a task reads and writes its comments; the author or an
 * admin deletes one.
 * @module services/comments
 */
const { Forbidden, NotFound } = require('../core/errors');
const { insert, isoTimestamp, now } = require('../db');
const { parseId } = require('../schemas/common');
const { paginate } = require('./pagination');
const tasks = require('./tasks');
const { isAdmin } = require('./users');

/**
 * A comment as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    task_id: Number(row.task_id),
    author_id: Number(row.author_id),
    body: row.body,
    created_at: isoTimestamp(row.created_at),
  };
}

/**
 * One page of the comments on a task the user sees, oldest first.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {number} taskId
 * @param {{limit: number, offset: number}} query
 */
async function listComments(db, user, taskId, query) {
  const task = await tasks.getTask(db, user, taskId);
  const comments = db('comments').where({ task_id: task.id });
  return paginate(db, comments, query, (q) => q.orderBy('id'), toPublic);
}

/**
 * Comment on a task the user sees, as its author.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {number} taskId
 * @param {{body: string}} data
 */
async function addComment(db, user, taskId, data) {
  const task = await tasks.getTask(db, user, taskId);
  let id;
  try {
    id = await insert(db, 'comments', {
      task_id: task.id,
      author_id: user.id,
      body: data.body,
      created_at: now(),
    });
  } catch (error) {
    // The task was deleted between the check and the write (a foreign key error).
    if (!(await db('tasks').where({ id: task.id }).first('id'))) {
      throw new NotFound('Task not found');
    }
    throw error;
  }
  return toPublic(await db('comments').where({ id }).first());
}

/**
 * Delete a comment; only its author or an admin may.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {number} taskId
 * @param {number} commentId
 */
async function deleteComment(db, user, taskId, commentId) {
  const task = await tasks.getTask(db, user, taskId);
  const comment =
    parseId(String(commentId)) === null
      ? undefined
      : await db('comments').where({ id: commentId, task_id: task.id }).first();
  if (!comment) throw new NotFound('Comment not found');
  if (Number(comment.author_id) !== user.id && !isAdmin(user)) {
    throw new Forbidden('Only the author or an admin may delete a comment');
  }
  await db('comments').where({ id: comment.id }).delete();
}

module.exports = { listComments, addComment, deleteComment };
