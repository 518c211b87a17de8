'use strict';
/**
 * Posts: public when published; written by authors and admins.
 * @module routes/posts
 */
const { z } = require('zod');

const { postCreate, postPublic, postQuery, postUpdate } = require('../schemas/posts');
const posts = require('../services/posts');

const postPage = z.object({
  items: z.array(postPublic),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  next_cursor: z.string().nullable(),
});
const NOT_FOUND = { 404: 'Post not found' };
const AUTHOR_ONLY = { 403: "Only the post's author or an admin" };

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/posts',
      summary: 'List published posts (or your drafts), filtered, newest first, paginated',
      auth: 'optional',
      query: postQuery,
      response: postPage,
    },
    ({ req, db, user, query }) => posts.listPosts(db, user, query, 'offset' in req.query),
  );
  api.route(
    {
      method: 'POST',
      path: '/posts',
      summary: 'Write a post (authors and admins)',
      auth: 'user',
      body: postCreate,
      response: postPublic,
      status: 201,
      errors: { 403: 'Author role required', 409: 'Too many posts with this title at once' },
    },
    ({ db, user, body }) => posts.createPost(db, user, body),
  );
  api.route(
    {
      method: 'GET',
      path: '/posts/{slug}',
      summary: 'Read a post (a draft only as its author or an admin)',
      auth: 'optional',
      response: postPublic,
      errors: NOT_FOUND,
    },
    async ({ db, user, params }) => posts.present(db, await posts.getPost(db, user, params.slug)),
  );
  api.route(
    {
      method: 'PATCH',
      path: '/posts/{slug}',
      summary: 'Change a post, or publish it (its author or an admin)',
      auth: 'user',
      body: postUpdate,
      response: postPublic,
      errors: { ...NOT_FOUND, ...AUTHOR_ONLY },
    },
    ({ db, user, params, body }) => posts.updatePost(db, user, params.slug, body),
  );
  api.route(
    {
      method: 'DELETE',
      path: '/posts/{slug}',
      summary: 'Delete a post and its comments (its author or an admin)',
      auth: 'user',
      status: 204,
      errors: { ...NOT_FOUND, ...AUTHOR_ONLY },
    },
    ({ db, user, params }) => posts.deletePost(db, user, params.slug),
  );
};
