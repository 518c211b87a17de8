'use strict';
/**
 * Registration, login, token refresh, logout, password change and password reset.
 * @module routes/auth
 */
const {
  credentials,
  loginIn,
  logoutIn,
  message,
  passwordChange,
  passwordResetConfirm,
  passwordResetRequest,
  refreshIn,
  tokenPair,
} = require('../schemas/auth');
const { userPublic } = require('../schemas/users');
const auth = require('../services/auth');
const passwordResets = require('../services/password_resets');
const users = require('../services/users');

const THROTTLED = 'Too many failed attempts (see Retry-After)';

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'POST',
      path: '/auth/register',
      summary: 'Create an account (email, password of 8+ characters)',
      auth: 'public',
      body: credentials,
      response: userPublic,
      status: 201,
      errors: { 409: 'Email already registered' },
    },
    async ({ db, settings, body }) => users.toPublic(await users.register(db, body, settings)),
  );
  api.route(
    {
      method: 'POST',
      path: '/auth/login',
      summary: 'Exchange email and password for an access and a refresh token',
      auth: 'public',
      body: loginIn,
      response: tokenPair,
      errors: {
        401: 'Incorrect credentials, or MFA code required',
        403: 'Account disabled',
        429: THROTTLED,
      },
    },
    ({ db, settings, body }) => auth.login(db, body, settings),
  );
  api.route(
    {
      method: 'POST',
      path: '/auth/refresh',
      summary: 'Exchange a refresh token for a new token pair',
      auth: 'public',
      body: refreshIn,
      response: tokenPair,
      errors: { 401: 'Invalid, used or expired token' },
    },
    ({ db, settings, body }) => auth.refresh(db, body.refresh_token, settings),
  );
  api.route(
    {
      method: 'POST',
      path: '/auth/logout',
      summary: 'Revoke a session ({refresh_token}) or every session ({}) of the user',
      auth: 'user',
      body: logoutIn,
      status: 204,
    },
    ({ db, settings, user, body }) => auth.logout(db, user, body.refresh_token, settings),
  );
  api.route(
    {
      method: 'POST',
      path: '/auth/password',
      summary: 'Change your password (current_password, new_password); ends every session',
      auth: 'user',
      body: passwordChange,
      status: 204,
      errors: { 429: THROTTLED },
    },
    ({ db, settings, user, body }) => auth.changePassword(db, user, body, settings),
  );
  api.route(
    {
      method: 'POST',
      path: '/auth/password-reset',
      summary: 'Ask for a password reset token (always 202; the token goes to the outbox)',
      auth: 'public',
      body: passwordResetRequest,
      response: message,
      status: 202,
    },
    async ({ db, settings, body }) => ({
      detail: await passwordResets.requestReset(db, body.email, settings),
    }),
  );
  api.route(
    {
      method: 'POST',
      path: '/auth/password-reset/confirm',
      summary: 'Set a new password with a reset token; ends every session',
      auth: 'public',
      body: passwordResetConfirm,
      status: 204,
    },
    ({ db, settings, body }) => passwordResets.confirmReset(db, body, settings),
  );
};
