'use strict';
/**
 * Registration, login and token refresh.
 * @module routes/auth
 */
const { credentials, loginIn, refreshIn, tokenPair } = require('../schemas/auth');
const { userPublic } = require('../schemas/users');
const auth = require('../services/auth');
const users = require('../services/users');

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
      errors: { 401: 'Incorrect email or password', 403: 'Account disabled' },
    },
    ({ db, settings, body }) => auth.login(db, body.email, body.password, settings),
  );
  api.route(
    {
      method: 'POST',
      path: '/auth/refresh',
      summary: 'Exchange a refresh token for a new token pair',
      auth: 'public',
      body: refreshIn,
      response: tokenPair,
      errors: { 401: 'Invalid or expired token' },
    },
    ({ db, settings, body }) => auth.refresh(db, body.refresh_token, settings),
  );
};
