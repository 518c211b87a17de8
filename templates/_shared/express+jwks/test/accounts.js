'use strict';
/**
 * The tests' accounts: tokens of test/issuer.js's issuer, which the apps trust, each for
 * a subject of its own (its local user is made on its first request); an admin is a
 * token with the role "admin".
 */
const crypto = require('node:crypto');
const request = require('supertest');

const { issuer } = require('./issuer');

/** What manage.js' create-admin is given (the service itself checks no password). */
const PASSWORD = 'test-password-1';

/**
 * @typedef {{email: string, password: string, id: number, accessToken: string,
 *   refreshToken: string, headers: {Authorization: string}}} Account
 */
/** @typedef {import('express').Express | string} App an app, or a running server's URL */

/**
 * A token of a new subject, its local user made by a first request.
 * @param {App} app
 * @param {string} [prefix]
 * @param {string[]} [roles]
 * @returns {Promise<Account>}
 */
async function signUp(app, prefix = 'user', roles = ['user']) {
  const email = `${prefix}-${crypto.randomBytes(6).toString('hex')}@example.com`;
  const accessToken = issuer.mint(`subject-${crypto.randomUUID()}`, email, { roles });
  const headers = { Authorization: `Bearer ${accessToken}` };
  const me = await request(app).get('/users/me').set(headers);
  if (me.status !== 200) throw new Error(`first request failed: ${me.status} ${me.text}`);
  return { email, password: '', id: me.body.id, accessToken, refreshToken: '', headers };
}

/**
 * An admin: a token whose roles hold "admin" (the context's database and settings, which
 * the service's own admins need, are not used).
 * @param {{app: App, db?: import('knex').Knex, settings?: unknown}} context
 */
function makeAdmin({ app }) {
  return signUp(app, 'admin', ['admin']);
}

module.exports = { PASSWORD, signUp, makeAdmin };
