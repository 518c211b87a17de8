'use strict';
/**
 * Password hashing (argon2id) and JSON Web Tokens (the keys come from core/keys.js).
 * @module core/security
 */
const crypto = require('node:crypto');
const argon2 = require('argon2');
const jwt = require('jsonwebtoken');

const keys = require('./keys');
const { AppError, Unauthorized } = require('./errors');

const TokenType = Object.freeze({ ACCESS: 'access', REFRESH: 'refresh' });
const REQUIRED_CLAIMS = ['exp', 'iat', 'sub', 'type'];
/** The claim that holds the user's token epoch when the token was issued. */
const EPOCH_CLAIM = 'epoch';

/** @param {import('./config').Settings} settings */
function hashOptions(settings) {
  return {
    type: argon2.argon2id,
    timeCost: settings.passwordHashTimeCost,
    memoryCost: settings.passwordHashMemoryKib,
    parallelism: 4,
  };
}

/**
 * Hash a password with a fresh salt.
 * @param {string} password
 * @param {import('./config').Settings} settings
 */
function hashPassword(password, settings) {
  return argon2.hash(password, hashOptions(settings));
}

/**
 * Tell whether a password matches a stored hash (false for a malformed hash).
 * @param {string} password
 * @param {string} passwordHash
 */
async function verifyPassword(password, passwordHash) {
  try {
    return await argon2.verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** @type {Map<string, Promise<string>>} */
const dummyHashes = new Map();

/**
 * Spend the time of one verification, so unknown emails answer as slowly as known ones.
 * @param {string} password
 * @param {import('./config').Settings} settings
 */
async function burnPasswordCheck(password, settings) {
  const key = `${settings.passwordHashTimeCost}:${settings.passwordHashMemoryKib}`;
  if (!dummyHashes.has(key)) dummyHashes.set(key, hashPassword('not-a-real-password', settings));
  await verifyPassword(password, await /** @type {Promise<string>} */ (dummyHashes.get(key)));
}

/**
 * Sign a token for a subject (a user id). Every token has exp, iat, sub, type and a jti;
 * an access token also the iss and aud of core/keys.js, if it names any.
 * @param {string} subject
 * @param {'access'|'refresh'} type
 * @param {import('./config').Settings} settings
 * @param {Record<string, unknown>} [claims]
 */
function createToken(subject, type, settings, claims = {}) {
  const access = type === TokenType.ACCESS;
  const minutes = access ? settings.accessTokenExpireMinutes : settings.refreshTokenExpireMinutes;
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    ...claims,
    ...(access ? keys.accessClaims(settings) : {}),
    sub: subject,
    type,
    iat: now,
    exp: now + minutes * 60,
    jti: crypto.randomUUID().replaceAll('-', ''),
  };
  const { key, algorithm, header } = keys.signingKey(settings);
  return jwt.sign(payload, key, { algorithm, header: { alg: algorithm, typ: 'JWT', ...header } });
}

/**
 * The claims of a valid token of the expected type, or throw Unauthorized.
 * Only the configured algorithms are accepted, so "alg": "none" and algorithm
 * confusion fail, as do a wrong signature, expiry and a missing claim. An access token
 * must carry the iss of core/keys.js and one of its audiences, if it names any.
 * @param {string} token
 * @param {'access'|'refresh'} expected
 * @param {import('./config').Settings} settings
 * @returns {Record<string, any>}
 */
function decodeToken(token, expected, settings) {
  const { iss: issuer, aud: audience } =
    expected === TokenType.ACCESS ? keys.accessClaims(settings) : {};
  let claims;
  try {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') throw new Error('malformed');
    const { key, algorithms } = keys.verificationKey(settings, { ...decoded.header });
    claims = /** @type {Record<string, any>} */ (
      jwt.verify(token, key, { algorithms, issuer, audience })
    );
  } catch (error) {
    // The service's own failure (an unreadable key, say) is not the token's fault.
    if (error instanceof AppError) throw error;
    throw new Unauthorized('Invalid or expired token');
  }
  if (REQUIRED_CLAIMS.some((claim) => claims[claim] === undefined) || claims.type !== expected) {
    throw new Unauthorized('Invalid or expired token');
  }
  return claims;
}

/**
 * Whether a token was issued in the user's current token epoch (no epoch: no).
 * @param {Record<string, any>} claims
 * @param {number | string} tokenEpoch the user's, as the database answers it
 */
function inEpoch(claims, tokenEpoch) {
  return Number.isSafeInteger(claims[EPOCH_CLAIM]) && claims[EPOCH_CLAIM] === Number(tokenEpoch);
}

module.exports = {
  EPOCH_CLAIM,
  TokenType,
  hashPassword,
  verifyPassword,
  burnPasswordCheck,
  createToken,
  decodeToken,
  inEpoch,
};
