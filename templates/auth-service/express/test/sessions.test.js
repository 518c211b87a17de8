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
const { TokenType, decodeToken } = require('../src/core/security');
const tokens = require('../src/services/tokens');
const users = require('../src/services/users');

const NEW_PASSWORD = 'test-password-2';
// Trials of a race between two requests: which one wins is up to the event loop.
const TRIALS = 10;

describe('sessions', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  const refresh = (/** @type {string} */ token) =>
    ctx.http().post('/auth/refresh').send({ refresh_token: token });
  const alive = async (/** @type {string} */ accessToken) => {
    const response = await ctx
      .http()
      .get('/users/me')
      .set('Authorization', `Bearer ${accessToken}`);
    assert.ok([200, 401].includes(response.status), response.text);
    return response.status === 200;
  };

  it('stores refresh tokens only as digests', async () => {
    const account = await signUp(ctx.app);
    const rows = await ctx.db('refresh_tokens').where({ user_id: account.id });
    assert.equal(rows.length, 1);
    assert.match(rows[0].token_hash, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(rows).includes(account.refreshToken));
  });

  it('rotates a refresh token once; a replay revokes the whole session', async () => {
    const account = await signUp(ctx.app);
    const rotated = await refresh(account.refreshToken);
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.refresh_token, account.refreshToken);
    assert.ok(await alive(rotated.body.access_token));
    errorFields(await refresh(account.refreshToken), 401);
    errorFields(await refresh(rotated.body.refresh_token), 401);
    assert.ok(!(await alive(rotated.body.access_token)));
  });

  it('lets one of many concurrent uses of a refresh token through', async () => {
    const account = await signUp(ctx.app);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => refresh(account.refreshToken)),
    );
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 401, 401, 401, 401, 401]);
  });

  it('ends only the replayed session', async () => {
    const laptop = await signUp(ctx.app);
    const phone = await signIn(ctx.app, laptop.email, PASSWORD);
    assert.equal((await refresh(laptop.refreshToken)).status, 200);
    errorFields(await refresh(laptop.refreshToken), 401);
    assert.ok(await alive(phone.accessToken));
    assert.equal((await refresh(phone.refreshToken)).status, 200);
  });

  it('logs out one session, or every session with {}', async () => {
    const laptop = await signUp(ctx.app);
    const phone = await signIn(ctx.app, laptop.email, PASSWORD);
    const tablet = await signIn(ctx.app, laptop.email, PASSWORD);
    const one = await ctx
      .http()
      .post('/auth/logout')
      .set(laptop.headers)
      .send({ refresh_token: laptop.refreshToken });
    assert.equal(one.status, 204);
    assert.ok(!(await alive(laptop.accessToken)));
    errorFields(await refresh(laptop.refreshToken), 401);
    assert.ok(await alive(phone.accessToken));
    // Someone else's refresh token changes nothing.
    const other = await signUp(ctx.app);
    const foreign = await ctx
      .http()
      .post('/auth/logout')
      .set(phone.headers)
      .send({ refresh_token: other.refreshToken });
    assert.equal(foreign.status, 204);
    assert.ok(await alive(other.accessToken));
    const all = await ctx.http().post('/auth/logout').set(phone.headers).send({});
    assert.equal(all.status, 204);
    for (const account of [phone, tablet]) {
      assert.ok(!(await alive(account.accessToken)));
      errorFields(await refresh(account.refreshToken), 401);
    }
    errorFields(await ctx.http().post('/auth/logout').send({}), 401);
    const extra = await ctx
      .http()
      .post('/auth/logout')
      .set(other.headers)
      .send({ everything: true });
    assert.deepEqual(errorFields(extra, 422), new Set(['everything']));
  });

  for (const [everywhere, ended] of [
    [true, 'every session'],
    [false, 'one session'],
  ]) {
    it(`kills a token that a rotation adds after a logout of ${ended}`, async () => {
      // The worst order of a logout and a rotation of the same session: the rotation
      // read the account before the logout, and adds the new token after it.
      const account = await signUp(ctx.app);
      const user = await users.get(ctx.db, account.id);
      const body = everywhere ? {} : { refresh_token: account.refreshToken };
      const logout = await ctx.http().post('/auth/logout').set(account.headers).send(body);
      assert.equal(logout.status, 204);
      const { sid } = decodeToken(account.accessToken, TokenType.ACCESS, ctx.settings);
      const late = await tokens.issuePair(ctx.db, user, ctx.settings, sid);
      assert.ok(!(await alive(late.access_token)));
      errorFields(await refresh(late.refresh_token), 401);
      assert.ok(!(await alive(account.accessToken)));
    });
  }

  it('leaves nothing alive when a logout everywhere and a refresh race', async () => {
    const account = await signUp(ctx.app);
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const session = await signIn(ctx.app, account.email, PASSWORD);
      const [logout, refreshed] = await Promise.all([
        ctx.http().post('/auth/logout').set(session.headers).send({}),
        refresh(session.refreshToken),
      ]);
      assert.equal(logout.status, 204);
      if (refreshed.status === 200) {
        assert.ok(!(await alive(refreshed.body.access_token)), `trial ${trial}`);
        errorFields(await refresh(refreshed.body.refresh_token), 401);
      } else {
        errorFields(refreshed, 401);
      }
      assert.ok(!(await alive(session.accessToken)));
    }
  });

  it('refuses an expired refresh token', async () => {
    const account = await signUp(ctx.app);
    await ctx
      .db('refresh_tokens')
      .where({ user_id: account.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    errorFields(await refresh(account.refreshToken), 401);
  });

  it('changes the password after checking it, ending every session', async () => {
    const account = await signUp(ctx.app);
    const wrong = await ctx
      .http()
      .post('/auth/password')
      .set(account.headers)
      .send({ current_password: 'not-the-password', new_password: NEW_PASSWORD });
    assert.deepEqual(errorFields(wrong, 422), new Set(['current_password']));
    const short = await ctx
      .http()
      .post('/auth/password')
      .set(account.headers)
      .send({ current_password: PASSWORD, new_password: 'short' });
    assert.deepEqual(errorFields(short, 422), new Set(['new_password']));
    const changed = await ctx
      .http()
      .post('/auth/password')
      .set(account.headers)
      .send({ current_password: PASSWORD, new_password: NEW_PASSWORD });
    assert.equal(changed.status, 204);
    assert.ok(!(await alive(account.accessToken)));
    errorFields(await refresh(account.refreshToken), 401);
    const old = await ctx
      .http()
      .post('/auth/login')
      .send({ email: account.email, password: PASSWORD });
    errorFields(old, 401);
    assert.ok(await alive((await signIn(ctx.app, account.email, NEW_PASSWORD)).accessToken));
  });

  it("locks a disabled user's tokens out, and their logins", async () => {
    const admin = await makeAdmin(ctx);
    const account = await signUp(ctx.app);
    const disabled = await ctx
      .http()
      .patch(`/users/${account.id}`)
      .set(admin.headers)
      .send({ is_active: false });
    assert.equal(disabled.status, 200);
    assert.ok(!(await alive(account.accessToken)));
    errorFields(await refresh(account.refreshToken), 401);
    const login = await ctx
      .http()
      .post('/auth/login')
      .send({ email: account.email, password: PASSWORD });
    errorFields(login, 403);
  });
});
