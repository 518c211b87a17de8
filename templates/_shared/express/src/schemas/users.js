'use strict';
/**
 * User shapes.
 * @module schemas/users
 */
const { z } = require('zod');

const { ROLES } = require('../core/roles');
const { pageQuery, queryBool } = require('./common');

/** A user as the API shows it (never the password hash). */
const userPublic = z.object({
  id: z.number().int(),
  email: z.string(),
  role: z.enum(ROLES),
  is_active: z.boolean(),
  created_at: z.iso.datetime(),
});

/** What an admin may change about a user: the role, and whether they may sign in. */
const userAdminUpdate = z.strictObject({
  role: z.enum(ROLES).optional(),
  is_active: z.boolean().optional(),
});

/** Filters of GET /users. */
const userQuery = pageQuery.extend({
  role: z.enum(ROLES).optional(),
  is_active: queryBool.optional(),
});

module.exports = { userPublic, userAdminUpdate, userQuery };
