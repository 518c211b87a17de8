'use strict';
/**
 * The keys that sign and verify tokens: here one shared secret (HMAC, HS256 by default).
 *
 * A service whose tokens others must verify replaces this module with one holding an
 * asymmetric key pair and a JWKS document; core/security.js only calls these three.
 * @module core/keys
 */

/**
 * The key to sign with, and extra JWT header fields (none for a shared secret).
 * @param {import('./config').Settings} settings
 * @returns {{key: import('jsonwebtoken').Secret, algorithm: import('jsonwebtoken').Algorithm, header: Record<string, string>}}
 */
function signingKey(settings) {
  return { key: settings.secretKey, algorithm: settings.jwtAlgorithm, header: {} };
}

/**
 * The key and algorithms that verify a token with this header (throw if there is none).
 * @param {import('./config').Settings} settings
 * @param {Record<string, unknown>} _header
 * @returns {{key: import('jsonwebtoken').Secret, algorithms: import('jsonwebtoken').Algorithm[]}}
 */
function verificationKey(settings, _header) {
  return { key: settings.secretKey, algorithms: [settings.jwtAlgorithm] };
}

/**
 * The iss and aud every access token carries and must carry (none here).
 * @param {import('./config').Settings} _settings
 * @returns {{iss?: string, aud?: string | [string, ...string[]]}}
 */
function accessClaims(_settings) {
  return {};
}

module.exports = { signingKey, verificationKey, accessClaims };
