'use strict';
/**
 * Login (throttled, with MFA), token refresh, logout and password changes.
 * @module services/auth
 */
const { Forbidden, Unauthorized, invalidField } = require('../core/errors');
const {
  TokenType,
  burnPasswordCheck,
  decodeToken,
  hashPassword,
  verifyPassword,
} = require('../core/security');
const { now } = require('../db');
const loginAttempts = require('./login_attempts');
const mfa = require('./mfa');
const tokens = require('./tokens');
const users = require('./users');

const BAD_CREDENTIALS = 'Incorrect email or password';
const MFA_REQUIRED = 'MFA code required: send otp_code with the email and password';
const BAD_MFA_CODE = 'Invalid or expired MFA code';

/**
 * The user with these credentials, or throw: TooManyAttempts (429) after too many
 * failures for the email, before any check; Unauthorized for wrong credentials or a
 * missing or wrong MFA code; Forbidden for a disabled account.
 * @param {import('knex').Knex} db
 * @param {string} email
 * @param {string} password
 * @param {import('../core/config').Settings} settings
 * @param {string | null} [otpCode]
 */
async function authenticate(db, email, password, settings, otpCode) {
  const attempt = await loginAttempts.begin(db, email, settings);
  const user = await users.getByEmail(db, email);
  if (!user) {
    // Verify against a dummy hash anyway, so response time does not reveal
    // whether the email has an account.
    await burnPasswordCheck(password, settings);
    throw new Unauthorized(BAD_CREDENTIALS);
  }
  if (!(await verifyPassword(password, user.password_hash)))
    throw new Unauthorized(BAD_CREDENTIALS);
  if (!user.is_active) {
    await loginAttempts.discard(db, attempt);
    throw new Forbidden('Account disabled');
  }
  if (await mfa.isEnabled(db, user)) {
    if (otpCode === undefined || otpCode === null) {
      // The client asked without a code: no guess, so no failure.
      await loginAttempts.discard(db, attempt);
      throw new Unauthorized(MFA_REQUIRED);
    }
    if (!(await mfa.acceptCode(db, user, otpCode, settings))) throw new Unauthorized(BAD_MFA_CODE);
  }
  await loginAttempts.discard(db, attempt);
  return user;
}

/**
 * Check the credentials (and the MFA code) and return a token pair of a new session.
 * @param {import('knex').Knex} db
 * @param {{email: string, password: string, otp_code?: string | null}} data
 * @param {import('../core/config').Settings} settings
 */
async function login(db, data, settings) {
  const user = await authenticate(db, data.email, data.password, settings, data.otp_code);
  return tokens.issuePair(db, user, settings);
}

/**
 * Exchange a refresh token, once, for a new pair.
 * @param {import('knex').Knex} db
 * @param {string} refreshToken
 * @param {import('../core/config').Settings} settings
 */
function refresh(db, refreshToken, settings) {
  return tokens.rotate(db, refreshToken, settings);
}

/**
 * End the session of a refresh token, or every session of the user without one.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {string | null | undefined} refreshToken
 * @param {import('../core/config').Settings} settings
 */
async function logout(db, user, refreshToken, settings) {
  if (refreshToken === undefined || refreshToken === null) {
    await db.transaction((trx) => tokens.endSessions(trx, user.id));
  } else {
    await tokens.revokeSession(db, user, refreshToken, settings);
  }
}

/**
 * Set a new password; a wrong current one is a failed login. Every session ends, the
 * caller's own included (the client signs in again with the new password), and reset
 * tokens already mailed stop working.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {{current_password: string, new_password: string}} data
 * @param {import('../core/config').Settings} settings
 */
async function changePassword(db, user, data, settings) {
  const attempt = await loginAttempts.begin(db, user.email, settings);
  if (!(await verifyPassword(data.current_password, user.password_hash))) {
    throw invalidField('current_password', 'Incorrect password');
  }
  await loginAttempts.discard(db, attempt);
  const passwordHash = await hashPassword(data.new_password, settings);
  await db.transaction(async (trx) => {
    await trx('users')
      .where({ id: user.id })
      .update({ password_hash: passwordHash, updated_at: now() });
    await tokens.endSessions(trx, user.id);
  });
}

/**
 * The active user an access token was issued to, while its session is alive.
 * @param {import('knex').Knex} db
 * @param {string} token
 * @param {import('../core/config').Settings} settings
 */
function userFromAccessToken(db, token, settings) {
  return tokens.userForClaims(db, decodeToken(token, TokenType.ACCESS, settings));
}

module.exports = {
  authenticate,
  login,
  refresh,
  logout,
  changePassword,
  userFromAccessToken,
  BAD_CREDENTIALS,
  MFA_REQUIRED,
};
