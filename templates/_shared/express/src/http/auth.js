'use strict';
/**
 * The user behind a request's bearer token.
 * @module http/auth
 */
const { Forbidden, Unauthorized } = require('../core/errors');
const { ADMIN } = require('../core/roles');
const auth = require('../services/auth');

/**
 * The active user whose access token came with the request, or throw 401.
 * @param {import('express').Request} req
 * @param {import('knex').Knex} db
 * @param {import('../core/config').Settings} settings
 */
async function currentUser(req, db, settings) {
  const header = req.get('authorization') || '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new Unauthorized();
  return auth.userFromAccessToken(db, match[1], settings);
}

/**
 * The current user if they are an admin, or throw 403.
 * @param {import('express').Request} req
 * @param {import('knex').Knex} db
 * @param {import('../core/config').Settings} settings
 */
async function currentAdmin(req, db, settings) {
  const user = await currentUser(req, db, settings);
  if (user.role !== ADMIN) throw new Forbidden('Admin role required');
  return user;
}

module.exports = { currentUser, currentAdmin };
