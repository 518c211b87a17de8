'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('./suites');

const keys = require('../src/core/keys');
const { errorFields, signUp, skipReason, startApp, testSettings } = require('./support');

/** @param {string} token */
function parts(token) {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(payload, 'base64url').toString()),
  };
}

/**
 * Whether a token's RS256 signature verifies with a published key.
 * @param {string} token
 * @param {Record<string, string>} jwk
 */
function verifies(token, jwk) {
  const [header, payload, signature] = token.split('.');
  const key = crypto.createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  return crypto.verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    key,
    Buffer.from(signature, 'base64url'),
  );
}

describe('signing keys and the JWKS', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  const jwks = async () => {
    const response = await ctx.http().get('/.well-known/jwks.json');
    assert.equal(response.status, 200);
    return new Map(response.body.keys.map((/** @type {any} */ key) => [key.kid, key]));
  };

  it('publishes public RSA keys only', async () => {
    const published = await jwks();
    assert.equal(published.size, 1);
    for (const key of published.values()) {
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
      assert.deepEqual([key.kty, key.alg, key.use], ['RSA', 'RS256', 'sig']);
      assert.ok(Buffer.from(key.n, 'base64url').length >= 256);
    }
  });

  it('signs every token with a published key named by kid', async () => {
    const account = await signUp(ctx.app);
    const published = await jwks();
    for (const [token, type] of [
      [account.accessToken, 'access'],
      [account.refreshToken, 'refresh'],
    ]) {
      const { header, claims } = parts(token);
      assert.equal(header.alg, 'RS256');
      assert.ok(published.has(header.kid));
      assert.ok(verifies(token, published.get(header.kid)));
      assert.equal(claims.type, type);
      assert.ok(claims.sid && claims.jti && claims.iat && claims.exp > Date.now() / 1000);
    }
  });

  it('refuses an HMAC token keyed with the public key (algorithm confusion)', async () => {
    const account = await signUp(ctx.app);
    const { header, claims } = parts(account.accessToken);
    const pem = keys.privateKey(ctx.settings).publicKey.key.export({ type: 'spki', format: 'pem' });
    const encode = (/** @type {object} */ value) =>
      Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ ...header, alg: 'HS256' })}.${encode(claims)}`;
    const signature = crypto.createHmac('sha256', pem).update(unsigned).digest('base64url');
    const forged = await ctx
      .http()
      .get('/users/me')
      .set('Authorization', `Bearer ${unsigned}.${signature}`);
    errorFields(forged, 401);
  });

  it('reads a key written on one line with \\n', () => {
    const pem = keys.newPrivateKey();
    const settings = testSettings('sqlite:///unused.db', {
      JWT_PRIVATE_KEY: pem.replaceAll('\n', '\\n'),
    });
    const fromEnv = keys.privateKey(settings).publicKey.kid;
    const direct = keys.privateKey(testSettings('sqlite:///unused.db', { JWT_PRIVATE_KEY: pem }));
    assert.equal(fromEnv, direct.publicKey.kid);
  });
});

describe('key rotation', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {string} */
  let folder;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));
    const files = {
      JWT_PRIVATE_KEY: '',
      JWT_PRIVATE_KEY_FILE: path.join(folder, 'jwt_private_key.pem'),
      JWT_PREVIOUS_KEYS_FILE: path.join(folder, 'jwt_previous_keys.json'),
    };
    assert.ok(keys.generate(testSettings('sqlite:///unused.db', files)));
    ctx = await startApp(files);
  });
  after(async () => {
    await ctx.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('signs with the new key and keeps the old one until its tokens expire', async () => {
    assert.equal(keys.generate(ctx.settings), null); // a key exists
    const before = await signUp(ctx.app);
    const { previous, current } = keys.rotate(ctx.settings);
    assert.equal(parts(before.accessToken).header.kid, previous);
    assert.notEqual(previous, current);
    const published = (await ctx.http().get('/.well-known/jwks.json')).body.keys;
    assert.deepEqual(
      published.map((/** @type {{kid: string}} */ k) => k.kid),
      [current, previous],
    );
    // Tokens of the old key keep working; new ones name the new key.
    assert.equal((await ctx.http().get('/users/me').set(before.headers)).status, 200);
    const rotated = await ctx
      .http()
      .post('/auth/refresh')
      .send({ refresh_token: before.refreshToken });
    assert.equal(rotated.status, 200);
    assert.equal(parts(rotated.body.access_token).header.kid, current);
    assert.equal(fs.statSync(ctx.settings.kind.jwtPrivateKeyFile).mode & 0o777, 0o600);
    // Once the old key's last token has expired, it is no longer published.
    const later = Date.now() / 1000 + ctx.settings.refreshTokenExpireMinutes * 60 + 120;
    assert.deepEqual(keys.previousKeys(ctx.settings, later), []);
    assert.equal(keys.previousKeys(ctx.settings).length, 1);
  });

  it('refuses to rotate a key given in JWT_PRIVATE_KEY', () => {
    const settings = testSettings('sqlite:///unused.db', { JWT_PRIVATE_KEY: keys.newPrivateKey() });
    assert.throws(() => keys.rotate(settings), keys.SigningKeyError);
  });
});

describe('a missing or unreadable signing key', { skip: skipReason() }, () => {
  const UNAVAILABLE = 'Tokens cannot be issued or verified right now; try again later';
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {string} */
  let folder;
  /** @type {string} */
  let keyFile;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));
    keyFile = path.join(folder, 'jwt_private_key.pem');
    fs.writeFileSync(keyFile, keys.newPrivateKey(), { mode: 0o600 });
    ctx = await startApp({
      JWT_PRIVATE_KEY: '',
      JWT_PRIVATE_KEY_FILE: keyFile,
      JWT_PREVIOUS_KEYS_FILE: path.join(folder, 'jwt_previous_keys.json'),
    });
  });
  after(async () => {
    await ctx.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  /**
   * What every route that signs or verifies a token answers now, by route.
   * @param {import('./support').Account} account
   */
  const tokenRoutes = async (account) => ({
    login: await ctx
      .http()
      .post('/auth/login')
      .send({ email: account.email, password: account.password }),
    refresh: await ctx.http().post('/auth/refresh').send({ refresh_token: account.refreshToken }),
    jwks: await ctx.http().get('/.well-known/jwks.json'),
    me: await ctx.http().get('/users/me').set(account.headers),
  });

  /** @param {Record<string, import('supertest').Response>} responses */
  const assertUnavailable = (responses) => {
    for (const [route, response] of Object.entries(responses)) {
      errorFields(response, 503);
      // The common error body; what went wrong (the file) is for the log only.
      assert.deepEqual(response.body, { detail: UNAVAILABLE }, route);
      assert.ok(!response.text.includes(keyFile), route);
    }
  };

  it('answers 503 on the token routes, logs why, and recovers', async () => {
    const account = await signUp(ctx.app);
    const moved = path.join(folder, 'elsewhere.pem');
    fs.renameSync(keyFile, moved);
    const seen = ctx.logLines.length;
    assertUnavailable(await tokenRoutes(account));
    // The service's error lines (core/logs.js) say which file.
    const errors = ctx.logLines.slice(seen).map((line) => JSON.parse(line));
    assert.ok(errors.some((line) => line.level === 'error' && line.message.includes(keyFile)));

    // There, but unreadable: a folder where the file should be; then not a key at all.
    fs.mkdirSync(keyFile);
    assertUnavailable(await tokenRoutes(account));
    fs.rmdirSync(keyFile);
    fs.writeFileSync(keyFile, 'not a PEM key');
    assertUnavailable(await tokenRoutes(account));

    // Once the key is back, the same requests work again, with no restart.
    fs.renameSync(moved, keyFile);
    const answers = await tokenRoutes(account);
    for (const [route, response] of Object.entries(answers)) {
      assert.equal(response.status, 200, `${route}: ${response.text}`);
    }
  });
});
