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

const NEW_PASSWORD = 'test-password-3';

describe('password reset', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {import('./support').Account} */
  let admin;
  before(async () => {
    ctx = await startApp();
    admin = await makeAdmin(ctx);
  });
  after(() => ctx.close());

  const ask = (/** @type {string} */ email) =>
    ctx.http().post('/auth/password-reset').send({ email });
  const confirm = (/** @type {string} */ token, password = NEW_PASSWORD) =>
    ctx.http().post('/auth/password-reset/confirm').send({ token, new_password: password });

  /** The token of the newest message to an email, read from the outbox as an admin. */
  async function mailedToken(/** @type {string} */ email) {
    const page = await ctx
      .http()
      .get('/admin/outbox')
      .query({ recipient: email })
      .set(admin.headers);
    assert.equal(page.status, 200);
    const found = /Reset token: (\S+)/.exec(page.body.items[0].body);
    assert.ok(found);
    return found[1];
  }

  it('answers alike for every email, and mails only active accounts', async () => {
    const account = await signUp(ctx.app);
    const known = await ask(account.email);
    const unknown = await ask('nobody@example.com');
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.deepEqual(known.body, unknown.body);
    const none = await ctx
      .http()
      .get('/admin/outbox')
      .query({ recipient: 'nobody@example.com' })
      .set(admin.headers);
    assert.equal(none.body.total, 0);
  });

  it('sets the password once with the mailed token and ends every session', async () => {
    const account = await signUp(ctx.app);
    assert.equal((await ask(account.email.toUpperCase())).status, 202);
    const token = await mailedToken(account.email);
    const stored = JSON.stringify(await ctx.db('password_reset_tokens'));
    assert.ok(!stored.includes(token));
    assert.equal((await confirm(token)).status, 204);
    assert.deepEqual(
      errorFields(await confirm(token, 'another-password-1'), 422),
      new Set(['token']),
    );
    errorFields(await ctx.http().get('/users/me').set(account.headers), 401);
    errorFields(
      await ctx.http().post('/auth/refresh').send({ refresh_token: account.refreshToken }),
      401,
    );
    errorFields(
      await ctx.http().post('/auth/login').send({ email: account.email, password: PASSWORD }),
      401,
    );
    assert.ok((await signIn(ctx.app, account.email, NEW_PASSWORD)).accessToken);
  });

  it('keeps only the newest token, refuses expired ones and lets one of two uses win', async () => {
    const account = await signUp(ctx.app);
    await ask(account.email);
    const first = await mailedToken(account.email);
    await ask(account.email);
    const second = await mailedToken(account.email);
    assert.notEqual(first, second);
    errorFields(await confirm(first), 422);
    const statuses = (await Promise.all([confirm(second), confirm(second)])).map((r) => r.status);
    assert.deepEqual(statuses.sort(), [204, 422]);
    await ask(account.email);
    const third = await mailedToken(account.email);
    await ctx
      .db('password_reset_tokens')
      .where({ user_id: account.id })
      .whereNull('used_at')
      .update({ expires_at: new Date(Date.now() - 1000) });
    errorFields(await confirm(third), 422);
  });

  it('voids the mailed tokens when every session ends, for good', async () => {
    const changing = await signUp(ctx.app);
    await ask(changing.email);
    const beforeChange = await mailedToken(changing.email);
    const changed = await ctx
      .http()
      .post('/auth/password')
      .set(changing.headers)
      .send({ current_password: PASSWORD, new_password: NEW_PASSWORD });
    assert.equal(changed.status, 204);
    assert.deepEqual(errorFields(await confirm(beforeChange), 422), new Set(['token']));

    const disabled = await signUp(ctx.app);
    await ask(disabled.email);
    const beforeDisable = await mailedToken(disabled.email);
    for (const active of [false, true]) {
      const response = await ctx
        .http()
        .patch(`/users/${disabled.id}`)
        .send({ is_active: active })
        .set(admin.headers);
      assert.equal(response.status, 200);
    }
    errorFields(await confirm(beforeDisable), 422);

    const leaving = await signUp(ctx.app);
    await ask(leaving.email);
    const beforeLogout = await mailedToken(leaving.email);
    const logout = await ctx.http().post('/auth/logout').set(leaving.headers).send({});
    assert.equal(logout.status, 204);
    errorFields(await confirm(beforeLogout), 422);
  });

  it('validates the requests', async () => {
    assert.deepEqual(errorFields(await ask('not-an-email'), 422), new Set(['email']));
    assert.deepEqual(errorFields(await confirm('no-such-token'), 422), new Set(['token']));
    assert.ok(errorFields(await confirm('no-such-token', 'short'), 422).has('new_password'));
  });

  it('shows the outbox to admins only, newest first, paginated', async () => {
    const account = await signUp(ctx.app);
    errorFields(await ctx.http().get('/admin/outbox'), 401);
    errorFields(await ctx.http().get('/admin/outbox').set(account.headers), 403);
    await ask(account.email);
    await ask(account.email);
    const page = await ctx.http().get('/admin/outbox').query({ limit: 1 }).set(admin.headers);
    assert.deepEqual(Object.keys(page.body).sort(), ['items', 'limit', 'offset', 'total']);
    assert.equal(page.body.items.length, 1);
    assert.ok(page.body.total >= 2);
    assert.ok(page.body.items[0].created_at.endsWith('Z'));
    const all = await ctx
      .http()
      .get('/admin/outbox')
      .query({ recipient: account.email })
      .set(admin.headers);
    const ids = all.body.items.map((/** @type {{id: number}} */ m) => m.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    const tooMany = await ctx.http().get('/admin/outbox').query({ limit: 101 }).set(admin.headers);
    assert.deepEqual(errorFields(tooMany, 422), new Set(['limit']));
    const nul = await ctx
      .http()
      .get('/admin/outbox')
      .query({ recipient: 'a\u0000b' })
      .set(admin.headers);
    assert.deepEqual(errorFields(nul, 422), new Set(['recipient']));
  });
});
