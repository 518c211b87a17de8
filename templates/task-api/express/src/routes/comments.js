'use strict';
/**
 * Comments on tasks, for whoever sees the task.
 * @module routes/comments
 */
const { z } = require('zod');

const { commentCreate, commentPublic, commentQuery } = require('../schemas/comments');
const comments = require('../services/comments');

const commentPage = z.object({
  items: z.array(commentPublic),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/tasks/{task_id}/comments',
      summary: 'List the comments on a task, oldest first',
      auth: 'user',
      query: commentQuery,
      response: commentPage,
      errors: { 404: 'Task not found' },
    },
    ({ db, user, params, query }) => comments.listComments(db, user, params.task_id, query),
  );
  api.route(
    {
      method: 'POST',
      path: '/tasks/{task_id}/comments',
      summary: 'Comment on a task you see',
      auth: 'user',
      body: commentCreate,
      response: commentPublic,
      status: 201,
      errors: { 404: 'Task not found' },
    },
    ({ db, user, params, body }) => comments.addComment(db, user, params.task_id, body),
  );
  api.route(
    {
      method: 'DELETE',
      path: '/tasks/{task_id}/comments/{comment_id}',
      summary: 'Delete a comment (its author or an admin)',
      auth: 'user',
      status: 204,
      errors: { 403: 'Only the author or an admin may delete a comment', 404: 'Not found' },
    },
    ({ db, user, params }) => comments.deleteComment(db, user, params.task_id, params.comment_id),
  );
};
