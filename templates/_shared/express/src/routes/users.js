'use strict';
/**
 * The signed-in user, and user management for admins.
 * @module routes/users
 */
const { z } = require('zod');

const { userAdminUpdate, userPublic, userQuery } = require('../schemas/users');
const users = require('../services/users');

const userPage = z.object({
  items: z.array(userPublic),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/users/me',
      summary: 'The signed-in user',
      auth: 'user',
      response: userPublic,
    },
    ({ user }) => users.toPublic(user),
  );
  api.route(
    {
      method: 'GET',
      path: '/users',
      summary: 'List users, filtered by role and status',
      auth: 'admin',
      query: userQuery,
      response: userPage,
    },
    ({ db, query }) => users.listUsers(db, query),
  );
  api.route(
    {
      method: 'GET',
      path: '/users/{user_id}',
      summary: 'Read a user',
      auth: 'admin',
      response: userPublic,
      errors: { 404: 'User not found' },
    },
    async ({ db, params }) => users.toPublic(await users.get(db, params.user_id)),
  );
  api.route(
    {
      method: 'PATCH',
      path: '/users/{user_id}',
      summary: "Change a user's role or disable them (their tokens stop working)",
      auth: 'admin',
      body: userAdminUpdate,
      response: userPublic,
      errors: { 404: 'User not found', 409: 'Admins cannot lock themselves out' },
    },
    async ({ db, user, params, body }) =>
      users.toPublic(await users.updateUser(db, user, params.user_id, body)),
  );
};
