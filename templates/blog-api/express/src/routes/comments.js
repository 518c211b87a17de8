'use strict';
/**
 * Comments on posts: anyone reads them, signed-in users write them.
 * @module routes/comments
 */
const { z } = require('zod');

const { commentCreate, commentPublic } = require('../schemas/comments');
const { pageQuery } = require('../schemas/common');
const comments = require('../services/comments');

const commentPage = z.object({
  items: z.array(commentPublic),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
const NOT_FOUND = { 404: 'Post not found' };

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/posts/{slug}/comments',
      summary: 'List the comments of a post, oldest first',
      tag: 'comments',
      auth: 'optional',
      query: pageQuery,
      response: commentPage,
      errors: NOT_FOUND,
    },
    ({ db, user, params, query }) => comments.listComments(db, user, params.slug, query),
  );
  api.route(
    {
      method: 'POST',
      path: '/posts/{slug}/comments',
      summary: 'Comment on a published post',
      tag: 'comments',
      auth: 'user',
      body: commentCreate,
      response: commentPublic,
      status: 201,
      errors: { ...NOT_FOUND, 409: 'Only published posts take comments' },
    },
    ({ db, user, params, body }) => comments.createComment(db, user, params.slug, body),
  );
  api.route(
    {
      method: 'DELETE',
      path: '/posts/{slug}/comments/{comment_id}',
      summary: 'Delete a comment (its author or an admin)',
      tag: 'comments',
      auth: 'user',
      status: 204,
      errors: { 404: 'Post or comment not found', 403: "Only the comment's author or an admin" },
    },
    ({ db, user, params }) => comments.deleteComment(db, user, params.slug, params.comment_id),
  );
};
