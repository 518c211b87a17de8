'use strict';
/**
 * The keys of core/security.js: this service signs no token (the issuer does), and
 * verifies with the issuer's keys that core/jwks.js has fetched already, without
 * fetching (what reads a token on the way, as the rate limit does, must not wait).
 * @module core/keys
 */
const { cachedKey } = require('./jwks');

/**
 * @param {import('./config').Settings} _settings
 * @returns {{key: import('jsonwebtoken').Secret, algorithm: import('jsonwebtoken').Algorithm, header: Record<string, string>}}
 */
function signingKey(_settings) {
  throw new Error('this service issues no token: its issuer (AUTH_ISSUER) does');
}

/**
 * The issuer's cached key of this header's kid (throw if there is none).
 * @param {import('./config').Settings} settings
 * @param {Record<string, unknown>} header
 * @returns {{key: import('jsonwebtoken').Secret, algorithms: import('jsonwebtoken').Algorithm[]}}
 */
function verificationKey(settings, header) {
  const key = typeof header.kid === 'string' ? cachedKey(settings, header.kid) : undefined;
  if (!key || header.alg !== 'RS256') throw new Error('no key of the issuer for this token');
  return { key, algorithms: ['RS256'] };
}

/**
 * What an access token must say (core/security.js checks it): the issuer's iss and this
 * service's audience.
 * @param {import('./config').Settings} settings
 * @returns {{iss: string, aud: string}}
 */
function accessClaims(settings) {
  const { issuer, audience } = settings.features.jwks;
  return { iss: issuer, aud: audience };
}

module.exports = { signingKey, verificationKey, accessClaims };
