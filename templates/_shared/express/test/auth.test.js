'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { DEFAULT_ROLE } = require('../src/core/roles');
const { TokenType, createToken } = require('../src/core/security');
const { PASSWORD, errorFields, signIn, signUp, skipReason, startApp } = require('./support');

describe('auth', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  it('registers an account and shows no password', async () => {
    const response = await ctx
      .http()
      .post('/auth/register')
      .send({ email: 'Ada@Example.com', password: PASSWORD });
    assert.equal(response.status, 201);
    assert.equal(response.body.email, 'ada@example.com');
    assert.equal(response.body.role, DEFAULT_ROLE);
    assert.ok(response.body.created_at.endsWith('Z'));
    assert.equal(response.body.password_hash, undefined);
    const again = await ctx
      .http()
      .post('/auth/register')
      .send({ email: 'ADA@example.com', password: PASSWORD });
    errorFields(again, 409);
  });

  it('validates registrations field by field', async () => {
    const bad = await ctx.http().post('/auth/register').send({ email: 'nope', password: 'short' });
    assert.deepEqual(errorFields(bad, 422), new Set(['email', 'password']));
    const extra = await ctx
      .http()
      .post('/auth/register')
      .send({ email: 'x@example.com', password: PASSWORD, role: 'admin' });
    assert.deepEqual(errorFields(extra, 422), new Set(['role']));
  });

  it('logs in, refreshes, and refuses wrong passwords alike', async () => {
    const account = await signUp(ctx.app);
    const refreshed = await ctx
      .http()
      .post('/auth/refresh')
      .send({ refresh_token: account.refreshToken });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.token_type, 'bearer');
    const wrong = await ctx
      .http()
      .post('/auth/login')
      .send({ email: account.email, password: 'wrong-password' });
    const unknown = await ctx
      .http()
      .post('/auth/login')
      .send({ email: 'nobody@example.com', password: PASSWORD });
    errorFields(wrong, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.ok((await signIn(ctx.app, account.email, PASSWORD)).accessToken);
  });

  it('keeps access and refresh tokens apart, and refuses bad tokens with a challenge', async () => {
    const account = await signUp(ctx.app);
    const asRefresh = await ctx
      .http()
      .post('/auth/refresh')
      .send({ refresh_token: account.accessToken });
    errorFields(asRefresh, 401);
    const [header, payload, signature] = account.accessToken.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    for (const value of [
      undefined,
      'Bearer not-a-token',
      `Basic ${account.accessToken}`,
      `Bearer ${account.refreshToken}`,
      `Bearer ${none}.${payload}.`,
      `Bearer ${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`,
    ]) {
      const call = ctx.http().get('/users/me');
      const response = await (value ? call.set('Authorization', value) : call);
      errorFields(response, 401);
      assert.match(response.headers['www-authenticate'], /^Bearer/);
    }
  });

  it('refuses a token whose subject names no possible user (401, never a 500)', async () => {
    await signUp(ctx.app);
    // Only the holder of the signing key can make these: the service's own signer.
    for (const subject of [String(2n ** 80n), String(2n ** 31n), '0', '-1', '1.0', ' 1', 'abc']) {
      const token = createToken(subject, TokenType.ACCESS, ctx.settings, { sid: 'no-session' });
      const response = await ctx.http().get('/users/me').set('Authorization', `Bearer ${token}`);
      errorFields(response, 401);
    }
  });
});
