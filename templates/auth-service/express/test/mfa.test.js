'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { seal, unseal } = require('../src/core/crypto');
const totp = require('../src/core/totp');
const { PASSWORD, errorFields, signUp, skipReason, startApp } = require('./support');

/** The code of `steps` time steps from now, as an authenticator app shows it. */
const codeOf = (/** @type {string} */ secret, steps = 0) =>
  totp.codeAt(secret, totp.timeStep() + steps);

/**
 * The previous step's code, taken clear of the current step's end: a step that ends
 * while the request is under way would make it two steps old, and refused.
 * @param {string} secret
 */
async function previousCode(secret) {
  const stepMs = totp.INTERVAL_SECONDS * 1000;
  const left = stepMs - (Date.now() % stepMs);
  if (left < 3000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  return codeOf(secret, -1);
}

describe('TOTP (RFC 6238)', () => {
  it('computes the RFC test vectors (SHA-1, last 6 digits)', () => {
    const secret = totp.base32Encode(Buffer.from('12345678901234567890'));
    // T = 59, 1111111109, 1234567890, 2000000000 seconds; the RFC lists 8 digits.
    const vectors = [
      [59, '287082'],
      [1111111109, '081804'],
      [1234567890, '005924'],
      [2000000000, '279037'],
    ];
    for (const [seconds, code] of vectors) {
      assert.equal(totp.codeAt(secret, totp.timeStep(Number(seconds) * 1000)), code);
    }
    assert.deepEqual(totp.base32Decode(secret), Buffer.from('12345678901234567890'));
  });

  it('seals secrets so that only the same SECRET_KEY opens them', () => {
    const settings = { secretKey: 'a'.repeat(40) };
    const sealed = seal('JBSWY3DPEHPK3PXP', settings);
    assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
    assert.equal(unseal(sealed, settings), 'JBSWY3DPEHPK3PXP');
    assert.equal(unseal(sealed, { secretKey: 'b'.repeat(40) }), null);
    assert.equal(unseal('not-sealed', settings), null);
  });
});

describe('MFA', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  /**
   * @param {string} email
   * @param {string} [otpCode]
   */
  const login = (email, otpCode) =>
    ctx
      .http()
      .post('/auth/login')
      .send({ email, password: PASSWORD, ...(otpCode === undefined ? {} : { otp_code: otpCode }) });

  /** @param {import('./support').Account} account */
  async function enable(account) {
    const enrolled = await ctx.http().post('/auth/mfa/enroll').set(account.headers);
    assert.equal(enrolled.status, 200);
    const { secret, otpauth_uri: uri } = enrolled.body;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.ok(uri.startsWith('otpauth://totp/') && uri.includes(`secret=${secret}`));
    // The previous step's code, so that the current and the next stay free for logins.
    const confirmed = await ctx
      .http()
      .post('/auth/mfa/confirm')
      .set(account.headers)
      .send({ code: await previousCode(secret) });
    assert.equal(confirmed.status, 200);
    const codes = confirmed.body.recovery_codes;
    assert.equal(new Set(codes).size, 10);
    return { secret, codes };
  }

  it('stores the secret sealed and the recovery codes as digests', async () => {
    const account = await signUp(ctx.app);
    const { secret, codes } = await enable(account);
    const credential = await ctx.db('totp_credentials').where({ user_id: account.id }).first();
    assert.ok(!credential.secret.includes(secret));
    const stored = JSON.stringify(await ctx.db('recovery_codes').where({ user_id: account.id }));
    assert.ok(codes.every((/** @type {string} */ code) => !stored.includes(code)));
  });

  it('needs a code at login once on; a code works once', async () => {
    const account = await signUp(ctx.app);
    const { secret } = await enable(account);
    const missing = await login(account.email);
    errorFields(missing, 401);
    assert.match(missing.body.detail, /MFA/);
    assert.match(missing.body.detail, /otp_code/);
    const code = codeOf(secret);
    assert.equal((await login(account.email, code)).status, 200);
    errorFields(await login(account.email, code), 401);
    assert.equal((await login(account.email, codeOf(secret, 1))).status, 200);
    errorFields(await login(account.email, '000000'), 401);
  });

  it('takes each recovery code once, in any case and with spaces', async () => {
    const account = await signUp(ctx.app);
    const { codes } = await enable(account);
    assert.equal((await login(account.email, codes[0].toUpperCase())).status, 200);
    errorFields(await login(account.email, codes[0]), 401);
    assert.equal((await login(account.email, ` ${codes[1]} `)).status, 200);
  });

  it('lets one of two concurrent logins with the same code through', async () => {
    const account = await signUp(ctx.app);
    const { secret } = await enable(account);
    const code = codeOf(secret, 1);
    const statuses = (await Promise.all([login(account.email, code), login(account.email, code)]))
      .map((r) => r.status)
      .sort();
    assert.deepEqual(statuses, [200, 401]);
  });

  it('answers enrolment errors', async () => {
    const account = await signUp(ctx.app);
    errorFields(await ctx.http().post('/auth/mfa/enroll'), 401);
    const early = await ctx
      .http()
      .post('/auth/mfa/confirm')
      .set(account.headers)
      .send({ code: '123456' });
    errorFields(early, 409);
    const { secret } = (await ctx.http().post('/auth/mfa/enroll').set(account.headers)).body;
    const wrong = String((Number(codeOf(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    const refused = await ctx
      .http()
      .post('/auth/mfa/confirm')
      .set(account.headers)
      .send({ code: wrong });
    assert.deepEqual(errorFields(refused, 422), new Set(['code']));
    assert.equal((await login(account.email)).status, 200); // not on until confirmed
    const blank = await ctx.http().post('/auth/mfa/confirm').set(account.headers).send({});
    assert.deepEqual(errorFields(blank, 422), new Set(['code']));
    await ctx
      .http()
      .post('/auth/mfa/confirm')
      .set(account.headers)
      .send({ code: codeOf(secret) });
    errorFields(await ctx.http().post('/auth/mfa/enroll').set(account.headers), 409);
  });

  it('turns MFA off with the password and a code', async () => {
    const account = await signUp(ctx.app);
    const { secret, codes } = await enable(account);
    const wrongPassword = await ctx
      .http()
      .post('/auth/mfa/disable')
      .set(account.headers)
      .send({ password: 'wrong-password', otp_code: codes[0] });
    assert.deepEqual(errorFields(wrongPassword, 422), new Set(['password']));
    const wrongCode = await ctx
      .http()
      .post('/auth/mfa/disable')
      .set(account.headers)
      .send({ password: PASSWORD, otp_code: 'nope-nope' });
    assert.deepEqual(errorFields(wrongCode, 422), new Set(['otp_code']));
    const payload = { password: PASSWORD, otp_code: codeOf(secret) };
    const disabled = await ctx.http().post('/auth/mfa/disable').set(account.headers).send(payload);
    assert.equal(disabled.status, 204);
    assert.equal((await login(account.email)).status, 200);
    errorFields(await ctx.http().post('/auth/mfa/disable').set(account.headers).send(payload), 409);
    assert.equal(await ctx.db('recovery_codes').where({ user_id: account.id }).first(), undefined);
  });
});
