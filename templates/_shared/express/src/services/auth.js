'use strict';
/**
 * Login, token refresh and the user behind an access token.
 * @module services/auth
 */
const { Forbidden, Unauthorized } = require('../core/errors');
const { TokenType, burnPasswordCheck, decodeToken, verifyPassword } = require('../core/security');
const tokens = require('./tokens');
const users = require('./users');

const BAD_CREDENTIALS = 'Incorrect email or password';

/**
 * The user with these credentials, or throw Unauthorized.
 * @param {import('knex').Knex} db
 * @param {string} email
 * @param {string} password
 * @param {import('../core/config').Settings} settings
 */
async function authenticate(db, email, password, settings) {
  const user = await users.getByEmail(db, email);
  if (!user) {
    // Verify against a dummy hash anyway, so response time does not reveal
    // whether the email has an account.
    await burnPasswordCheck(password, settings);
    throw new Unauthorized(BAD_CREDENTIALS);
  }
  if (!(await verifyPassword(password, user.password_hash)))
    throw new Unauthorized(BAD_CREDENTIALS);
  if (!user.is_active) throw new Forbidden('Account disabled');
  return user;
}

/**
 * Check the credentials and return a token pair.
 * @param {import('knex').Knex} db
 * @param {string} email
 * @param {string} password
 * @param {import('../core/config').Settings} settings
 */
async function login(db, email, password, settings) {
  return tokens.issuePair(db, await authenticate(db, email, password, settings), settings);
}

/**
 * Exchange a refresh token for a new pair.
 * @param {import('knex').Knex} db
 * @param {string} refreshToken
 * @param {import('../core/config').Settings} settings
 */
function refresh(db, refreshToken, settings) {
  return tokens.rotate(db, refreshToken, settings);
}

/**
 * The active user an access token was issued to, or throw Unauthorized.
 * @param {import('knex').Knex} db
 * @param {string} token
 * @param {import('../core/config').Settings} settings
 */
function userFromAccessToken(db, token, settings) {
  return tokens.userForClaims(db, decodeToken(token, TokenType.ACCESS, settings));
}

module.exports = { authenticate, login, refresh, userFromAccessToken, BAD_CREDENTIALS };
