'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { after, before, describe, it } = require('./suites');

const { PASSWORD, errorFields, signUp, skipReason, startApp } = require('./support');

const LIMIT = 5;
const WINDOW_SECONDS = 15 * 60;

describe('login throttling', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  const attempt = (/** @type {string} */ email, /** @type {string} */ password) =>
    ctx.http().post('/auth/login').send({ email, password });
  const lock = async (/** @type {string} */ email) => {
    for (let i = 0; i < LIMIT; i += 1) errorFields(await attempt(email, 'wrong-password'), 401);
    return attempt(email, 'wrong-password');
  };
  const unknownEmail = () => `nobody-${crypto.randomBytes(6).toString('hex')}@example.com`;

  it('answers 429 with Retry-After after 5 failures, even for the right password', async () => {
    const account = await signUp(ctx.app);
    const locked = await lock(account.email);
    errorFields(locked, 429);
    const retryAfter = Number(locked.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= WINDOW_SECONDS, String(retryAfter));
    errorFields(await attempt(account.email, PASSWORD), 429);
    errorFields(await attempt(account.email.toUpperCase(), PASSWORD), 429);
    // The lock is on logins: tokens issued before still work.
    assert.equal((await ctx.http().get('/users/me').set(account.headers)).status, 200);
  });

  it('locks unknown emails alike', async () => {
    const account = await signUp(ctx.app);
    const known = await lock(account.email);
    const unknown = await lock(unknownEmail());
    errorFields(unknown, 429);
    assert.deepEqual(known.body, unknown.body);
    assert.ok(unknown.headers['retry-after']);
  });

  it('does not reset the count on a success', async () => {
    const account = await signUp(ctx.app);
    for (let i = 0; i < LIMIT - 1; i += 1) {
      errorFields(await attempt(account.email, 'wrong-password'), 401);
    }
    assert.equal((await attempt(account.email, PASSWORD)).status, 200);
    errorFields(await attempt(account.email, 'wrong-password'), 401);
    errorFields(await attempt(account.email, PASSWORD), 429);
  });

  it('lets no more than 5 of a burst of parallel guesses be checked', async () => {
    const email = unknownEmail();
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => attempt(email, 'wrong-password')),
    );
    const checked = responses.filter((r) => r.status === 401).length;
    assert.ok(checked <= LIMIT, `${checked} guesses were checked`);
    assert.ok(responses.every((r) => [401, 429].includes(r.status)));
  });

  it('frees an email once its failures leave the window', async () => {
    const account = await signUp(ctx.app);
    errorFields(await lock(account.email), 429);
    await ctx
      .db('login_attempts')
      .where({ email: account.email })
      .update({ created_at: new Date(Date.now() - (WINDOW_SECONDS + 1) * 1000) });
    assert.equal((await attempt(account.email, PASSWORD)).status, 200);
  });

  it('counts wrong current passwords as failures', async () => {
    const account = await signUp(ctx.app);
    for (let i = 0; i < LIMIT; i += 1) {
      const wrong = await ctx
        .http()
        .post('/auth/password')
        .set(account.headers)
        .send({ current_password: 'wrong-password', new_password: 'test-password-2' });
      errorFields(wrong, 422);
    }
    errorFields(await attempt(account.email, PASSWORD), 429);
  });
});
