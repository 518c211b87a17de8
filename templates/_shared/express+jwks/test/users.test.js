'use strict';
/**
 * The local users of the issuer's subjects: made on their first request (once, however
 * many come at once), their email kept as the token says, an email of another subject a
 * 409; roles of the token make an admin; the admin API as for any kind.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { after, before, describe, it } = require('./suites');

const { DEFAULT_ROLE } = require('../src/core/roles');
const { issuer } = require('./issuer');
const { errorFields, makeAdmin, signUp, skipReason, startApp } = require('./support');

/** @param {string} token */
const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const subject = () => `subject-${crypto.randomUUID()}`;
const email = () => `user-${crypto.randomBytes(6).toString('hex')}@example.com`;

describe('users of the issuer', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {import('./support').Account} */
  let admin;
  before(async () => {
    ctx = await startApp();
    admin = await makeAdmin(ctx);
  });
  after(() => ctx.close());

  const me = (/** @type {string} */ token) => ctx.http().get('/users/me').set(bearer(token));

  it('makes a user of a new subject, and follows its email', async () => {
    const sub = subject();
    const first = await me(issuer.mint(sub, 'First@Example.com'));
    assert.equal(first.status, 200);
    assert.equal(first.body.email, 'first@example.com');
    assert.equal(first.body.role, DEFAULT_ROLE);
    const moved = email();
    const again = await me(issuer.mint(sub, moved));
    assert.deepEqual([again.body.id, again.body.email], [first.body.id, moved]);
    const row = await ctx.db('users').where({ id: first.body.id }).first();
    assert.equal(row.subject, sub);
  });

  it('makes one user of first requests at once', async () => {
    const token = issuer.mint(subject(), email());
    const answers = await Promise.all(Array.from({ length: 6 }, () => me(token)));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200, 200, 200],
    );
    assert.equal(new Set(answers.map((answer) => answer.body.id)).size, 1);
  });

  it('refuses an email of another subject with a 409', async () => {
    const owner = await signUp(ctx.app);
    errorFields(await me(issuer.mint(subject(), owner.email)), 409);
    const other = await signUp(ctx.app);
    errorFields(await me(issuer.mint(subject(), other.email)), 409);
    const moving = await signUp(ctx.app);
    const sub = (await ctx.db('users').where({ id: moving.id }).first()).subject;
    errorFields(await me(issuer.mint(sub, owner.email)), 409);
    assert.equal((await me(owner.accessToken)).status, 200);
  });

  it('refuses a subject or an email longer than a user can hold', async () => {
    errorFields(await me(issuer.mint('s'.repeat(256), email())), 401);
    errorFields(await me(issuer.mint(subject(), `${'a'.repeat(320)}@example.com`)), 401);
  });

  it('lets a token with the role admin act as an admin, the local role unchanged', async () => {
    const user = await signUp(ctx.app);
    errorFields(await ctx.http().get('/users').set(user.headers), 403);
    errorFields(await ctx.http().get('/users'), 401);
    const page = await ctx.http().get('/users').set(admin.headers);
    assert.equal(page.status, 200);
    assert.deepEqual(Object.keys(page.body).sort(), ['items', 'limit', 'offset', 'total']);
    const stored = await ctx.db('users').where({ id: admin.id }).first();
    assert.equal(stored.role, DEFAULT_ROLE);
  });

  it('lets an admin disable a user, whose tokens then stop working', async () => {
    const user = await signUp(ctx.app);
    const disabled = await ctx
      .http()
      .patch(`/users/${user.id}`)
      .send({ is_active: false })
      .set(admin.headers);
    assert.equal(disabled.status, 200);
    errorFields(await ctx.http().get('/users/me').set(user.headers), 401);
    const self = await ctx
      .http()
      .patch(`/users/${admin.id}`)
      .send({ is_active: false })
      .set(admin.headers);
    errorFields(self, 409);
  });
});
