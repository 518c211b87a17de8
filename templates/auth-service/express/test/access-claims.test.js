'use strict';
/**
 * Access tokens say who issued them, for whom, and who the user is; refresh tokens do
 * not. Services that trust this one's tokens read iss, aud, email and roles; this
 * service too refuses its own tokens with another issuer or audience.
 */
const assert = require('node:assert/strict');
const jwt = require('jsonwebtoken');
const { after, before, describe, it } = require('./suites');

const { TokenType, createToken, decodeToken } = require('../src/core/security');
const {
  errorFields,
  makeAdmin,
  signIn,
  signUp,
  skipReason,
  startApp,
  testSettings,
} = require('./support');
const overrides = require('./settings-overrides');

const IDENTITY = ['iss', 'aud', 'email', 'roles'];

/** @param {string} token */
const claimsOf = (token) => /** @type {Record<string, any>} */ (jwt.decode(token));

describe('the claims of access tokens', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  /**
   * The token with some claims changed (undefined: removed), signed with the service's key.
   * @param {string} token
   * @param {Record<string, unknown>} changes
   */
  const resigned = (token, changes) => {
    const decoded = /** @type {import('jsonwebtoken').Jwt} */ (
      jwt.decode(token, { complete: true })
    );
    const claims = Object.fromEntries(
      Object.entries({ ...claimsOf(token), ...changes }).filter(([, value]) => value !== undefined),
    );
    return jwt.sign(claims, overrides.JWT_PRIVATE_KEY, {
      algorithm: 'RS256',
      keyid: decoded.header.kid,
    });
  };
  const me = (/** @type {string} */ token) =>
    ctx.http().get('/users/me').set('Authorization', `Bearer ${token}`);

  it('names the issuer, the audience, the email and the roles', async () => {
    const account = await signUp(ctx.app);
    const access = claimsOf(account.accessToken);
    assert.deepEqual(
      [access.iss, access.aud, access.email, access.roles],
      [overrides.JWT_ISSUER, overrides.JWT_AUDIENCE, account.email, ['user']],
    );
    const refresh = claimsOf(account.refreshToken);
    assert.deepEqual(
      IDENTITY.filter((claim) => claim in refresh),
      [],
    );
    const admin = await makeAdmin(ctx);
    assert.deepEqual(claimsOf(admin.accessToken).roles, ['admin']);
  });

  it('gives the roles of the account when the token is issued', async () => {
    const account = await signUp(ctx.app);
    await ctx.db('users').where({ id: account.id }).update({ role: 'admin' });
    const refreshed = await ctx
      .http()
      .post('/auth/refresh')
      .send({ refresh_token: account.refreshToken });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.deepEqual(claimsOf(refreshed.body.access_token).roles, ['admin']);
    const again = await signIn(ctx.app, account.email, account.password);
    assert.deepEqual(claimsOf(again.accessToken).roles, ['admin']);
  });

  for (const [name, changes] of Object.entries({
    'another issuer': { iss: 'https://another-issuer.example.com' },
    'no issuer': { iss: undefined },
    'another audience': { aud: 'another-service' },
    'other audiences': { aud: ['another-service', 'a-third-one'] },
    'no audience': { aud: undefined },
  })) {
    it(`refuses a token with ${name}`, async () => {
      const account = await signUp(ctx.app);
      errorFields(await me(resigned(account.accessToken, changes)), 401);
      assert.equal((await me(account.accessToken)).status, 200);
    });
  }

  it('accepts a token for several audiences when one is this one', async () => {
    const account = await signUp(ctx.app);
    const token = resigned(account.accessToken, {
      aud: ['another-service', overrides.JWT_AUDIENCE],
    });
    assert.equal((await me(token)).status, 200);
  });
});

describe('JWT_AUDIENCE', () => {
  const withAudience = (/** @type {string} */ audience) =>
    testSettings('sqlite:///unused.db', { JWT_AUDIENCE: audience });

  it('makes a list of several audiences, any of which is accepted', () => {
    const settings = withAudience(' billing, inventory ,');
    const token = createToken('1', TokenType.ACCESS, settings);
    assert.deepEqual(decodeToken(token, TokenType.ACCESS, settings).aud, ['billing', 'inventory']);
    for (const audience of ['inventory', 'payments,billing']) {
      assert.equal(decodeToken(token, TokenType.ACCESS, withAudience(audience)).sub, '1');
    }
    assert.throws(() => decodeToken(token, TokenType.ACCESS, withAudience('payments')));
  });

  it('may not be empty', () => {
    assert.throws(() => withAudience(' , '), /JWT_AUDIENCE/);
  });
});
