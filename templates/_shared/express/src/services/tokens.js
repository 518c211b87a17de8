'use strict';
/**
 * Token pairs: a short-lived access token and a longer-lived refresh token, both JWTs.
 *
 * Here refresh tokens are stateless: valid until they expire, checked against the
 * user's current status on every use. A service that must revoke sessions replaces
 * this module with one that stores refresh tokens and rotates them.
 * @module services/tokens
 */
const { Unauthorized } = require('../core/errors');
const { TokenType, createToken, decodeToken } = require('../core/security');
const users = require('./users');

/**
 * A new access and refresh token for a user.
 * @param {import('knex').Knex} _db
 * @param {import('./users').UserRow} user
 * @param {import('../core/config').Settings} settings
 */
async function issuePair(_db, user, settings) {
  const subject = String(user.id);
  return {
    access_token: createToken(subject, TokenType.ACCESS, settings),
    refresh_token: createToken(subject, TokenType.REFRESH, settings),
    token_type: 'bearer',
  };
}

/**
 * Exchange a valid refresh token of an active user for a new pair.
 * @param {import('knex').Knex} db
 * @param {string} refreshToken
 * @param {import('../core/config').Settings} settings
 */
async function rotate(db, refreshToken, settings) {
  const claims = decodeToken(refreshToken, TokenType.REFRESH, settings);
  return issuePair(db, await userForClaims(db, claims), settings);
}

/**
 * The active user a token names, or throw Unauthorized.
 * @param {import('knex').Knex} db
 * @param {Record<string, any>} claims
 */
async function userForClaims(db, claims) {
  const subject = claims.sub;
  const user =
    typeof subject === 'string' && /^\d{1,10}$/.test(subject)
      ? await users.find(db, Number(subject))
      : undefined;
  if (!user || !user.is_active) throw new Unauthorized('Invalid or expired token');
  return user;
}

module.exports = { issuePair, rotate, userForClaims };
