'use strict';
/**
 * The tests' accounts: signed up and signed in through the service's own /auth routes,
 * and an admin made as `npm run create-admin` makes one.
 */
const crypto = require('node:crypto');
const request = require('supertest');

const users = require('../src/services/users');

const PASSWORD = 'test-password-1';

/**
 * @typedef {{email: string, password: string, id: number, accessToken: string,
 *   refreshToken: string, headers: {Authorization: string}}} Account
 */
/** @typedef {import('express').Express | string} App an app, or a running server's URL */

/**
 * Sign in and return the account with its tokens.
 * @param {App} app
 * @param {string} email
 * @param {string} password
 * @returns {Promise<Account>}
 */
async function signIn(app, email, password) {
  const login = await request(app).post('/auth/login').send({ email, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  const headers = { Authorization: `Bearer ${login.body.access_token}` };
  const me = await request(app).get('/users/me').set(headers);
  return {
    email,
    password,
    id: me.body.id,
    accessToken: login.body.access_token,
    refreshToken: login.body.refresh_token,
    headers,
  };
}

/**
 * Register a new account and sign it in.
 * @param {App} app
 * @param {string} [prefix]
 */
async function signUp(app, prefix = 'user') {
  const email = `${prefix}-${crypto.randomBytes(6).toString('hex')}@example.com`;
  const response = await request(app).post('/auth/register').send({ email, password: PASSWORD });
  if (response.status !== 201) throw new Error(`register failed: ${response.text}`);
  return signIn(app, email, PASSWORD);
}

/**
 * An admin account, made as `npm run create-admin` makes one.
 * @param {{app: App, db: import('knex').Knex, settings: any}} context
 */
async function makeAdmin({ app, db, settings }) {
  const email = `admin-${crypto.randomBytes(6).toString('hex')}@example.com`;
  await users.createAdmin(db, email, PASSWORD, settings);
  return signIn(app, email, PASSWORD);
}

module.exports = { PASSWORD, signIn, signUp, makeAdmin };
