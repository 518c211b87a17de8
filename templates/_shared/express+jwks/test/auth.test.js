'use strict';
/**
 * The issuer's access tokens, and only them: each way a token can be wrong is a 401,
 * the JWKS is fetched once and cached, a rotated key is fetched at once (at most every
 * 10 s), the cached keys outlive an outage of the issuer, and no key at all is a 503.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { after, before, describe, it } = require('./suites');

const { KeySet, REFETCH_MS, keysOf } = require('../src/core/jwks');
const { createToken, decodeToken } = require('../src/core/security');
const { TestIssuer, issuer, newKey } = require('./issuer');
const { errorFields, skipReason, startApp } = require('./support');

/** @param {string} token */
const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const subject = () => `subject-${crypto.randomUUID()}`;
const email = () => `user-${crypto.randomBytes(6).toString('hex')}@example.com`;

/**
 * A token signed HS256 with the issuer's public key as the secret (algorithm confusion).
 * @param {string} good a valid token, whose claims it keeps
 */
function forgedHs256(good) {
  const pem = issuer.keys[0].publicKey.export({ type: 'spki', format: 'pem' });
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const input = `${head}.${good.split('.')[1]}`;
  return `${input}.${crypto.createHmac('sha256', pem).update(input).digest('base64url')}`;
}

describe('issued tokens', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  it('has no sign-up, sign-in, refresh or sign-out of its own', async () => {
    for (const path of ['/auth/register', '/auth/login', '/auth/refresh', '/auth/logout']) {
      errorFields(await ctx.http().post(path).send({ email: email(), password: 'x' }), 404);
    }
    const { paths } = (await ctx.http().get('/openapi.json')).body;
    assert.deepEqual(
      Object.keys(paths).filter((path) => path.startsWith('/auth/')),
      [],
    );
  });

  it('refuses a token wrong in one way with a 401', async () => {
    const sub = subject();
    const address = email();
    const good = issuer.mint(sub, address);
    const header = (/** @type {string} */ token) =>
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url') +
      `.${token.split('.')[1]}.`;
    const wrong = {
      issuer: issuer.mint(sub, address, { claims: { iss: 'https://elsewhere.test' } }),
      audience: issuer.mint(sub, address, { claims: { aud: 'another-service' } }),
      expired: issuer.mint(sub, address, { lifetime: -120 }),
      refresh: issuer.mint(sub, address, { claims: { type: 'refresh' } }),
      'no subject': issuer.mint(sub, address, { claims: { sub: undefined } }),
      'no exp': issuer.mint(sub, address, { claims: { exp: undefined } }),
      'no email': issuer.mint(sub, address, { claims: { email: undefined } }),
      'no kid': issuer.mint(sub, address, { header: { kid: undefined } }),
      'unknown key': issuer.mint(sub, address, { key: newKey().privateKey }),
      'bad signature': issuer.mint(sub, address, {
        key: newKey().privateKey,
        header: {},
      }),
      hs256: forgedHs256(good),
      none: header(good),
      garbage: 'not.a.token',
    };
    for (const [why, token] of Object.entries(wrong)) {
      const response = await ctx.http().get('/users/me').set(bearer(token));
      assert.equal(response.status, 401, why);
      errorFields(response, 401);
    }
    assert.equal((await ctx.http().get('/users/me').set(bearer(good))).status, 200);
  });

  it('lends core/security.js the keys fetched already, and signs nothing', async () => {
    const sub = subject();
    const token = issuer.mint(sub, email());
    assert.equal((await ctx.http().get('/users/me').set(bearer(token))).status, 200);
    assert.equal(decodeToken(token, 'access', ctx.settings).sub, sub);
    const unknown = issuer.mint(sub, email(), { header: { kid: 'not-fetched' } });
    assert.throws(() => decodeToken(unknown, 'access', ctx.settings), /Invalid or expired/);
    assert.throws(() => createToken(sub, 'access', ctx.settings), /issues no token/);
  });

  it('takes an audience among several', async () => {
    const token = issuer.mint(subject(), email(), {
      claims: { aud: ['another-service', issuer.audience] },
    });
    assert.equal((await ctx.http().get('/users/me').set(bearer(token))).status, 200);
  });
});

describe('the issuer served over HTTP', { skip: skipReason() }, () => {
  const served = new TestIssuer({ issuer: 'https://served.test' });
  /** @type {Awaited<ReturnType<TestIssuer['serve']>>} */
  let jwks;
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    jwks = await served.serve();
    ctx = await startApp(served.settings(jwks.url));
  });
  after(async () => {
    await ctx.close();
    await jwks.close();
  });

  it('fetches the JWKS once, however many requests come at once', async () => {
    const token = served.mint(subject(), email());
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => ctx.http().get('/users/me').set(bearer(token))),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200, 200],
    );
    assert.equal(jwks.fetches(), 1);
    // Made-up kids within REFETCH_MS do not make it ask again.
    for (let i = 0; i < 3; i += 1) {
      const junk = served.mint(subject(), email(), { header: { kid: `junk-${i}` } });
      errorFields(await ctx.http().get('/users/me').set(bearer(junk)), 401);
    }
    assert.equal(jwks.fetches(), 1);
  });
});

describe('the key set', () => {
  const served = new TestIssuer();
  /** @type {Awaited<ReturnType<TestIssuer['serve']>>} */
  let jwks;
  before(async () => {
    jwks = await served.serve();
  });
  after(() => jwks.close());

  /** A key set on a clock the test moves. */
  function clocked(cacheSeconds = 300) {
    const clock = { now: 1_000_000 };
    return { clock, keys: new KeySet(jwks.url, cacheSeconds, () => clock.now) };
  }

  it('takes a rotated key at once, then not again within the refetch time', async () => {
    const { clock, keys } = clocked();
    const [first] = served.jwks().keys;
    assert.ok(await keys.key(first.kid));
    const fetched = jwks.fetches();
    const kid = served.rotate();
    clock.now += REFETCH_MS;
    assert.ok(await keys.key(kid));
    assert.equal(jwks.fetches(), fetched + 1);
    assert.equal(await keys.key('made-up'), undefined);
    assert.equal(jwks.fetches(), fetched + 1);
    clock.now += REFETCH_MS;
    assert.equal(await keys.key('made-up'), undefined);
    assert.equal(jwks.fetches(), fetched + 2);
  });

  it('keeps its keys through an outage of the issuer once the cache expired', async () => {
    const { clock, keys } = clocked(60);
    const [first] = served.jwks().keys;
    assert.ok(await keys.key(first.kid));
    jwks.down(true);
    try {
      clock.now += 61_000;
      assert.ok(await keys.key(first.kid));
    } finally {
      jwks.down(false);
    }
    clock.now += REFETCH_MS;
    assert.ok(await keys.key(first.kid));
  });

  it('answers 503 without a key and the issuer down', async () => {
    const { keys } = clocked();
    jwks.down(true);
    try {
      await assert.rejects(keys.key('any'), (error) => {
        assert.equal(/** @type {any} */ (error).status, 503);
        return true;
      });
    } finally {
      jwks.down(false);
    }
  });

  it('leaves out keys it cannot use', () => {
    const [good] = served.jwks().keys;
    const found = keysOf({
      keys: [
        good,
        { ...good, kid: 'encryption', use: 'enc' },
        { ...good, kid: 'hs', alg: 'HS256' },
        { kty: 'RSA', kid: 'broken' },
        { kty: 'EC', kid: 'ec' },
        null,
      ],
    });
    assert.deepEqual([...found.keys()], [good.kid]);
    assert.throws(() => keysOf({ keys: 'none' }), /not a JWKS/);
  });
});

describe('an issuer that cannot be reached', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp({ AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json' });
  });
  after(() => ctx.close());

  it('answers 503 with the JSON error body', async () => {
    const token = issuer.mint(subject(), email());
    const response = await ctx.http().get('/users/me').set(bearer(token));
    errorFields(response, 503);
  });
});
