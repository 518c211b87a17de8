'use strict';
/**
 * Comment rules: signed-in users comment on published posts; the comment's author or
 * an admin deletes it.
 * @module services/comments
 */
const { Conflict, Forbidden, NotFound } = require('../core/errors');
const { insert, isoTimestamp, now } = require('../db');
const { paginate } = require('./pagination');
const { getPost } = require('./posts');
const { isAdmin } = require('./users');

/**
 * A comment as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    post_id: Number(row.post_id),
    author_id: Number(row.author_id),
    body: row.body,
    created_at: isoTimestamp(row.created_at),
  };
}

/**
 * The comments of a post the viewer may see, oldest first.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow | null} viewer
 * @param {string} slug
 * @param {{limit: number, offset: number}} page
 */
async function listComments(db, viewer, slug, page) {
  const post = await getPost(db, viewer, slug);
  const comments = db('comments').where({ post_id: post.id });
  return paginate(db, comments, page, (q) => q.orderBy('id'), toPublic);
}

/**
 * Comment on a published post; a draft the user cannot see is NotFound, their own a Conflict.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {string} slug
 * @param {{body: string}} data
 */
async function createComment(db, user, slug, data) {
  const post = await getPost(db, user, slug);
  if (post.status !== 'published') throw new Conflict('Only published posts take comments');
  let id;
  try {
    id = await insert(db, 'comments', {
      post_id: post.id,
      author_id: user.id,
      body: data.body,
      created_at: now(),
    });
  } catch (error) {
    // The post was deleted between the read and the insert (a foreign key violation).
    if (isForeignKeyViolation(error)) throw new NotFound('Post not found');
    throw error;
  }
  return toPublic(await db('comments').where({ id }).first());
}

/**
 * @param {any} error
 */
function isForeignKeyViolation(error) {
  return Boolean(
    error &&
    (error.code === '23503' ||
      error.errno === 1452 ||
      String(error.code).startsWith('SQLITE_CONSTRAINT_FOREIGNKEY')),
  );
}

/**
 * Delete a comment: its author or an admin may; anyone else gets Forbidden.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {string} slug
 * @param {number} commentId
 */
async function deleteComment(db, user, slug, commentId) {
  const post = await getPost(db, user, slug);
  const comment = await db('comments').where({ id: commentId, post_id: post.id }).first();
  if (!comment) throw new NotFound('Comment not found');
  if (!(isAdmin(user) || Number(comment.author_id) === user.id)) {
    throw new Forbidden("Only the comment's author or an admin may delete it");
  }
  await db('comments').where({ id: comment.id }).delete();
}

module.exports = { toPublic, listComments, createComment, deleteComment };
