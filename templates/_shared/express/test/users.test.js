'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const {
  PASSWORD,
  errorFields,
  makeAdmin,
  signIn,
  signUp,
  skipReason,
  startApp,
} = require('./support');

describe('users', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {import('./support').Account} */
  let admin;
  before(async () => {
    ctx = await startApp();
    admin = await makeAdmin(ctx);
  });
  after(() => ctx.close());

  it('shows the signed-in user', async () => {
    const user = await signUp(ctx.app);
    const me = await ctx.http().get('/users/me').set(user.headers);
    assert.equal(me.status, 200);
    assert.equal(me.body.email, user.email);
  });

  it('lets only admins manage users', async () => {
    const user = await signUp(ctx.app);
    errorFields(await ctx.http().get('/users').set(user.headers), 403);
    errorFields(await ctx.http().get('/users'), 401);
    const page = await ctx.http().get('/users').query({ role: 'admin' }).set(admin.headers);
    assert.equal(page.status, 200);
    assert.deepEqual(Object.keys(page.body).sort(), ['items', 'limit', 'offset', 'total']);
    assert.deepEqual(
      [...new Set(page.body.items.map((/** @type {any} */ u) => u.role))],
      ['admin'],
    );
    errorFields(await ctx.http().get('/users').query({ limit: 101 }).set(admin.headers), 422);
    errorFields(
      await ctx
        .http()
        .get('/users')
        .query({ offset: 2 ** 70 })
        .set(admin.headers),
      422,
    );
  });

  it('disables a user, whose tokens then stop working', async () => {
    const user = await signUp(ctx.app);
    const response = await ctx
      .http()
      .patch(`/users/${user.id}`)
      .send({ is_active: false })
      .set(admin.headers);
    assert.equal(response.status, 200);
    assert.equal(response.body.is_active, false);
    errorFields(await ctx.http().get('/users/me').set(user.headers), 401);
  });

  it('ends the tokens of a disabled user for good: enabling again brings none back', async () => {
    const user = await signUp(ctx.app);
    const phone = await signIn(ctx.app, user.email, PASSWORD);
    const refresh = (/** @type {string} */ token) =>
      ctx.http().post('/auth/refresh').send({ refresh_token: token });
    const rotated = await refresh(user.refreshToken);
    assert.equal(rotated.status, 200);
    for (const active of [false, true]) {
      const response = await ctx
        .http()
        .patch(`/users/${user.id}`)
        .send({ is_active: active })
        .set(admin.headers);
      assert.equal(response.status, 200);
    }
    const pairs = [
      rotated.body,
      { access_token: phone.accessToken, refresh_token: phone.refreshToken },
    ];
    for (const pair of pairs) {
      const me = await ctx
        .http()
        .get('/users/me')
        .set('Authorization', `Bearer ${pair.access_token}`);
      errorFields(me, 401);
      errorFields(await refresh(pair.refresh_token), 401);
    }
    const again = await signIn(ctx.app, user.email, PASSWORD);
    assert.equal((await ctx.http().get('/users/me').set(again.headers)).status, 200);
  });

  it('refuses to lock an admin out, unknown users and unknown roles', async () => {
    const self = await ctx
      .http()
      .patch(`/users/${admin.id}`)
      .send({ is_active: false })
      .set(admin.headers);
    errorFields(self, 409);
    errorFields(await ctx.http().get('/users/999999999').set(admin.headers), 404);
    errorFields(
      await ctx
        .http()
        .get(`/users/${2 ** 70}`)
        .set(admin.headers),
      404,
    );
    const user = await signUp(ctx.app);
    const role = await ctx
      .http()
      .patch(`/users/${user.id}`)
      .send({ role: 'emperor' })
      .set(admin.headers);
    assert.deepEqual(errorFields(role, 422), new Set(['role']));
  });

  it('takes query integers in plain digits, and path ids in plain digits or not at all', async () => {
    const fullwidthOne = encodeURIComponent('\uff11');
    for (const value of ['1.0', '1.5', '%2B1', '1e1', '0x1', '1_0', 'true', fullwidthOne]) {
      for (const name of ['limit', 'offset']) {
        const response = await ctx.http().get(`/users?${name}=${value}`).set(admin.headers);
        assert.ok(errorFields(response, 422).has(name), `${name}=${value}`);
      }
    }
    const me = admin.id;
    assert.equal((await ctx.http().get(`/users/${me}`).set(admin.headers)).status, 200);
    const fullwidth = encodeURIComponent(
      [...String(me)].map((digit) => String.fromCharCode(0xff10 + Number(digit))).join(''),
    );
    for (const spelling of [`${me}.0`, `%2B${me}`, `%20${me}`, `${me}e0`, fullwidth]) {
      errorFields(await ctx.http().get(`/users/${spelling}`).set(admin.headers), 404);
    }
  });
});
