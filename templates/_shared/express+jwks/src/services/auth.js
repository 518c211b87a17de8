'use strict';
/**
 * The user behind an access token of the issuer (auth-service): this service checks
 * no password and issues no token of its own.
 * @module services/auth
 */
const { Unauthorized } = require('../core/errors');
const { verifyAccessToken } = require('../core/jwks');
const { ADMIN } = require('../core/roles');
const { userOf } = require('./subjects');

/**
 * The active local user of the token's subject (made on its first request), or throw
 * Unauthorized. A token whose roles hold "admin" makes the request an admin's, whatever
 * the local role; the stored role stays as the admin API set it.
 * @param {import('knex').Knex} db
 * @param {string} token
 * @param {import('../core/config').Settings} settings
 */
async function userFromAccessToken(db, token, settings) {
  const claims = await verifyAccessToken(token, settings);
  const user = await userOf(db, claims);
  if (!user.is_active) throw new Unauthorized('Invalid or expired token');
  const admin = Array.isArray(claims.roles) && claims.roles.includes(ADMIN);
  return admin ? { ...user, role: ADMIN } : user;
}

module.exports = { userFromAccessToken };
