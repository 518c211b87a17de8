'use strict';
/**
 * Token pairs: a short-lived access token and a longer-lived refresh token, both JWTs.
 *
 * Here refresh tokens are stateless: valid until they expire, checked against the
 * user's current status on every use. Every token carries the user's token epoch;
 * ending every session (disabling the account) moves the epoch on, so the tokens issued
 * before stop working for good, also once the account is enabled again. A service that
 * must revoke single sessions replaces this module with one that stores refresh tokens
 * and rotates them.
 * @module services/tokens
 */
const { Unauthorized } = require('../core/errors');
const { EPOCH_CLAIM, TokenType, createToken, decodeToken, inEpoch } = require('../core/security');
const users = require('./users');

/**
 * A new access and refresh token for a user, in its current epoch.
 * @param {import('knex').Knex} _db
 * @param {import('./users').UserRow} user
 * @param {import('../core/config').Settings} settings
 */
async function issuePair(_db, user, settings) {
  const subject = String(user.id);
  const claims = { [EPOCH_CLAIM]: Number(user.token_epoch) };
  return {
    access_token: createToken(subject, TokenType.ACCESS, settings, claims),
    refresh_token: createToken(subject, TokenType.REFRESH, settings, claims),
    token_type: 'bearer',
  };
}

/**
 * Exchange a valid refresh token of an active user for a new pair. The new pair is of
 * the epoch the old token was checked against: when sessions end meanwhile, it is born
 * dead.
 * @param {import('knex').Knex} db
 * @param {string} refreshToken
 * @param {import('../core/config').Settings} settings
 */
async function rotate(db, refreshToken, settings) {
  const claims = decodeToken(refreshToken, TokenType.REFRESH, settings);
  return issuePair(db, await userForClaims(db, claims), settings);
}

/**
 * The active user a token names, if it is of their epoch, or throw Unauthorized.
 * @param {import('knex').Knex} db
 * @param {Record<string, any>} claims
 */
async function userForClaims(db, claims) {
  const subject = claims.sub;
  const user =
    typeof subject === 'string' && /^\d{1,10}$/.test(subject)
      ? await users.find(db, Number(subject))
      : undefined;
  if (!user || !user.is_active || !inEpoch(claims, user.token_epoch)) {
    throw new Unauthorized('Invalid or expired token');
  }
  return user;
}

/**
 * End every session of a user for good: one atomic UPDATE, so that a token issued in
 * the old epoch, even by a rotation racing this one, never works again.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {number} userId
 */
async function endSessions(db, userId) {
  await db('users').where({ id: userId }).increment('token_epoch', 1);
}

module.exports = { issuePair, rotate, userForClaims, endSessions };
