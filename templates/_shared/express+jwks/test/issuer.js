'use strict';
/**
 * A stand-in for auth-service in the tests: RSA keys, their JWKS and access tokens as
 * auth-service issues them (docs/jwks.md). `issuer` is the one every test file's app
 * trusts (test/settings-overrides.js), its JWKS handed over as a data: URL; `serve()`
 * publishes one over HTTP on 127.0.0.1, for the tests of fetching, rotation and outages.
 */
const crypto = require('node:crypto');
const http = require('node:http');

/** @param {Buffer | string} data */
const b64 = (data) => Buffer.from(data).toString('base64url');

/**
 * The RFC 7638 thumbprint of an RSA public key: its kid.
 * @param {crypto.KeyObject} publicKey
 */
function thumbprint(publicKey) {
  const { e, kty, n } = publicKey.export({ format: 'jwk' });
  return b64(crypto.createHash('sha256').update(JSON.stringify({ e, kty, n })).digest());
}

/** A new RSA key pair. */
function newKey() {
  return crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/**
 * @typedef {object} MintOptions
 * @property {string[]} [roles]
 * @property {number} [lifetime] seconds (negative: expired)
 * @property {Record<string, unknown>} [claims] more or other claims (undefined: left out)
 * @property {Record<string, unknown>} [header] more or other header members
 * @property {crypto.KeyObject} [key] sign with this private key instead
 */

class TestIssuer {
  /** @param {{issuer?: string, audience?: string}} [options] */
  constructor({ issuer = 'https://issuer.test', audience = 'scaffold-services' } = {}) {
    this.issuer = issuer;
    this.audience = audience;
    /** @type {{privateKey: crypto.KeyObject, publicKey: crypto.KeyObject}[]} */
    this.keys = [];
    this.rotate();
  }

  /** Add a signing key (the older ones stay published); return its kid. */
  rotate() {
    const pair = newKey();
    this.keys.push(pair);
    return thumbprint(pair.publicKey);
  }

  /** The JWKS document of every key. */
  jwks() {
    return {
      keys: this.keys.map(({ publicKey }) => ({
        ...publicKey.export({ format: 'jwk' }),
        kid: thumbprint(publicKey),
        use: 'sig',
        alg: 'RS256',
      })),
    };
  }

  /**
   * The settings of a service that trusts this issuer, its JWKS at `url`.
   * @param {string} [url] by default the JWKS itself, as a data: URL
   */
  settings(url) {
    const document = encodeURIComponent(JSON.stringify(this.jwks()));
    return {
      AUTH_JWKS_URL: url ?? `data:application/json,${document}`,
      AUTH_ISSUER: this.issuer,
      AUTH_AUDIENCE: this.audience,
    };
  }

  /**
   * An access token of the newest key.
   * @param {string} subject
   * @param {string} email
   * @param {MintOptions} [options]
   */
  mint(subject, email, { roles = ['user'], lifetime = 900, claims = {}, header = {}, key } = {}) {
    const signer = this.keys[this.keys.length - 1];
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: subject,
      type: 'access',
      iat: now,
      exp: now + lifetime,
      jti: crypto.randomUUID(),
      iss: this.issuer,
      aud: this.audience,
      email,
      roles,
      ...claims,
    };
    const head = { alg: 'RS256', typ: 'JWT', kid: thumbprint(signer.publicKey), ...header };
    const input = [head, payload].map((part) => b64(JSON.stringify(part))).join('.');
    const signature = crypto.sign('sha256', Buffer.from(input), key ?? signer.privateKey);
    return `${input}.${b64(signature)}`;
  }

  /**
   * Publish the JWKS over HTTP on 127.0.0.1 until close(); `fetches` counts the requests,
   * `down` makes it answer 503.
   * @returns {Promise<{url: string, fetches: () => number, down: (is: boolean) => void,
   *   close: () => Promise<void>}>}
   */
  serve() {
    let fetches = 0;
    let down = false;
    const server = http.createServer((req, res) => {
      fetches += 1;
      res.writeHead(down ? 503 : 200, { 'Content-Type': 'application/json' });
      res.end(down ? '{}' : JSON.stringify(this.jwks()));
    });
    return new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
        resolve({
          url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
          fetches: () => fetches,
          down: (is) => {
            down = is;
          },
          close: () => new Promise((done) => server.close(() => done(undefined))),
        });
      });
    });
  }
}

/** The issuer the apps of the tests trust. */
const issuer = new TestIssuer();

module.exports = { TestIssuer, issuer, newKey, thumbprint };
