'use strict';
/** Accounts through nginx: a user signs up and in on the running stack. */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { call } = require('./stack');

const title = 'signs a user up and in through nginx';

/** @param {string} baseUrl */
async function check(baseUrl) {
  const email = `it-${crypto.randomBytes(4).toString('hex')}@example.com`;
  const password = 'integration-password';
  assert.equal((await call(baseUrl, 'POST', '/auth/register', { email, password })).status, 201);
  const login = await call(baseUrl, 'POST', '/auth/login', { email, password });
  assert.equal(login.status, 200);
  assert.equal(login.body.token_type, 'bearer');
  const wrong = await call(baseUrl, 'POST', '/auth/login', { email, password: 'wrong-1' });
  assert.equal(wrong.status, 401);
  assert.ok('detail' in wrong.body);
}

module.exports = { title, check };
