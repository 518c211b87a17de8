'use strict';
/**
 * The issuer's keys (its JWKS, fetched and cached) and the check of its access tokens.
 *
 * A token is taken only if it is RS256, names a key (kid) of the issuer's JWKS, is
 * signed by it, and says the issuer, this service's audience, a future exp, type
 * "access" and a subject. The JWKS is fetched once and trusted for
 * AUTH_JWKS_CACHE_SECONDS; a kid it lacks fetches it again at once (how a rotated key
 * arrives), but never twice within REFETCH_MS, so made-up kids cannot hammer the
 * issuer; requests that need a fetch meanwhile share it. An issuer that cannot be
 * reached leaves the cached keys in use; with none at all the answer is a 503.
 * @module core/jwks
 */
const crypto = require('node:crypto');
const jwt = require('jsonwebtoken');

const { AppError, Unauthorized } = require('./errors');

/** The least time between two fetches of the JWKS by one process. */
const REFETCH_MS = 10_000;
/** How long a fetch of the JWKS may take. */
const FETCH_TIMEOUT_MS = 5_000;
const ALGORITHM = 'RS256';
const INVALID = 'Invalid or expired token';

/** No key of the issuer can be had: it cannot be reached and none is cached. */
class IssuerUnavailable extends AppError {}
IssuerUnavailable.status = 503;
IssuerUnavailable.defaultDetail = 'Service unavailable: the token issuer cannot be reached';

/**
 * The usable keys of a JWKS document, by kid: RSA signing keys (RS256 or no alg said).
 * @param {any} document
 * @returns {Map<string, crypto.KeyObject>}
 */
function keysOf(document) {
  if (!document || !Array.isArray(document.keys)) throw new Error('not a JWKS document');
  /** @type {Map<string, crypto.KeyObject>} */
  const keys = new Map();
  for (const jwk of document.keys) {
    if (!jwk || jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
    if ((jwk.alg ?? ALGORITHM) !== ALGORITHM || (jwk.use ?? 'sig') !== 'sig') continue;
    try {
      keys.set(jwk.kid, crypto.createPublicKey({ key: jwk, format: 'jwk' }));
    } catch {
      // A key that node cannot read verifies nothing: leave it out.
    }
  }
  return keys;
}

class KeySet {
  /**
   * @param {string} url
   * @param {number} cacheSeconds
   * @param {() => number} [clock] milliseconds (tests move it)
   */
  constructor(url, cacheSeconds, clock = Date.now) {
    this.url = url;
    this.cacheMs = cacheSeconds * 1000;
    this.clock = clock;
    /** @type {Map<string, crypto.KeyObject> | null} */
    this.keys = null;
    this.fetchedAt = -Infinity;
    this.triedAt = -Infinity;
    /** @type {Promise<void> | null} */
    this.pending = null;
  }

  /**
   * The key of this kid, or undefined when the issuer does not publish it.
   * @param {string} kid
   * @returns {Promise<crypto.KeyObject | undefined>}
   */
  async key(kid) {
    const stale = this.clock() - this.fetchedAt >= this.cacheMs;
    if (stale || !this.keys?.has(kid)) await this.refresh();
    if (!this.keys) throw new IssuerUnavailable();
    return this.keys.get(kid);
  }

  /** Fetch the JWKS, unless a fetch is under way (then wait for it) or was made lately. */
  refresh() {
    if (this.pending) return this.pending;
    if (this.clock() - this.triedAt < REFETCH_MS) return Promise.resolve();
    this.triedAt = this.clock();
    this.pending = this.fetch().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  async fetch() {
    try {
      const response = await fetch(this.url, {
        headers: { Accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.keys = keysOf(await response.json());
      this.fetchedAt = this.clock();
    } catch (error) {
      // The keys fetched before stay in use; the issuer is asked again in REFETCH_MS.
      process.emitWarning(`the JWKS at ${this.url} cannot be had: ${String(error)}`);
    }
  }
}

/** @type {WeakMap<object, KeySet>} one per settings, so per app */
const keySets = new WeakMap();

/**
 * The key set of these settings' issuer, made on first use.
 * @param {import('./config').Settings} settings
 */
function keySet(settings) {
  let found = keySets.get(settings);
  if (!found) {
    const { url, cacheSeconds } = settings.features.jwks;
    found = new KeySet(url, cacheSeconds);
    keySets.set(settings, found);
  }
  return found;
}

/**
 * The key of this kid if it was fetched already (no fetch).
 * @param {import('./config').Settings} settings
 * @param {string} kid
 */
function cachedKey(settings, kid) {
  return keySets.get(settings)?.keys?.get(kid);
}

/**
 * The claims of a valid access token of the issuer, or throw Unauthorized (or
 * IssuerUnavailable when no key can be had).
 * @param {string} token
 * @param {import('./config').Settings} settings
 * @returns {Promise<Record<string, any>>}
 */
async function verifyAccessToken(token, settings) {
  const decoded = jwt.decode(token, { complete: true });
  const kid = decoded?.header.kid;
  // Checked before any key is looked up: junk never makes the issuer be asked.
  if (!decoded || decoded.header.alg !== ALGORITHM || typeof kid !== 'string' || !kid) {
    throw new Unauthorized(INVALID);
  }
  const key = await keySet(settings).key(kid);
  if (!key) throw new Unauthorized(INVALID);
  const { issuer, audience } = settings.features.jwks;
  let claims;
  try {
    claims = /** @type {Record<string, any>} */ (
      jwt.verify(token, key, { algorithms: [ALGORITHM], issuer, audience })
    );
  } catch {
    throw new Unauthorized(INVALID);
  }
  const { sub, exp, type } = claims;
  if (type !== 'access' || typeof sub !== 'string' || !sub || typeof exp !== 'number') {
    throw new Unauthorized(INVALID);
  }
  return claims;
}

module.exports = {
  FETCH_TIMEOUT_MS,
  IssuerUnavailable,
  KeySet,
  REFETCH_MS,
  cachedKey,
  keySet,
  keysOf,
  verifyAccessToken,
};
