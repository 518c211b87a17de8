'use strict';
/**
 * The auth-service settings: RS256 signing keys, login throttling, password resets, MFA.
 *
 * Tokens are signed with an RSA key (core/keys.js), so JWT_ALGORITHM is RS256 here;
 * SECRET_KEY still keys the HMAC digests of stored tokens and seals TOTP secrets.
 * @module core/kind-settings
 */
const { z } = require('zod');

const about = require('../about');
const mail = require('./mail-settings');

const int = (/** @type {number} */ min, /** @type {number} */ fallback) =>
  z.coerce.number().int().min(min).default(fallback);

/** @type {Record<string, import('zod').ZodType>} */
const shape = {
  // Replaces the shared HS* choice: the RSA key signs every token.
  JWT_ALGORITHM: z.literal('RS256').default('RS256'),
  // The signing key: a PEM file (made at project creation, git-ignored), or the PEM
  // itself in JWT_PRIVATE_KEY (containers, tests), which wins when set.
  JWT_PRIVATE_KEY_FILE: z.string().min(1).default('secrets/jwt_private_key.pem'),
  JWT_PRIVATE_KEY: z.string().optional(),
  // Public keys retired by `npm run keys rotate`, published until their last tokens expire.
  JWT_PREVIOUS_KEYS_FILE: z.string().min(1).default('secrets/jwt_previous_keys.json'),
  // The iss and aud claims of access tokens (core/keys.js): who issues them, and the
  // services they are for (JWT_AUDIENCE may name several, comma-separated).
  JWT_ISSUER: z.string().min(1).default('http://localhost:8000'),
  JWT_AUDIENCE: z
    .string()
    .default('scaffold-services')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .refine((audiences) => audiences.length > 0, 'must name at least one audience'),
  // Failed logins per email within the window before login answers 429.
  LOGIN_MAX_FAILURES: int(1, 5),
  LOGIN_WINDOW_MINUTES: int(1, 15),
  PASSWORD_RESET_EXPIRE_MINUTES: int(1, 30),
  // The name authenticator apps show next to the account.
  MFA_ISSUER: z.string().min(1).max(100).default(about.title),
  // The delivery of the outbox's messages (the feature "queue": SMTP).
  ...mail.shape,
};

/**
 * @typedef {object} KindSettings
 * @property {string} jwtPrivateKeyFile
 * @property {string | undefined} jwtPrivateKey
 * @property {string} jwtPreviousKeysFile
 * @property {string} jwtIssuer
 * @property {readonly string[]} jwtAudience
 * @property {number} loginMaxFailures
 * @property {number} loginWindowMinutes
 * @property {number} passwordResetExpireMinutes
 * @property {string} mfaIssuer
 */

/** @typedef {KindSettings & ReturnType<typeof mail.map>} AllKindSettings */

/**
 * @param {Record<string, any>} env the parsed environment
 * @returns {AllKindSettings}
 */
function map(env) {
  return {
    jwtPrivateKeyFile: env.JWT_PRIVATE_KEY_FILE,
    jwtPrivateKey: env.JWT_PRIVATE_KEY,
    jwtPreviousKeysFile: env.JWT_PREVIOUS_KEYS_FILE,
    jwtIssuer: env.JWT_ISSUER,
    jwtAudience: Object.freeze(env.JWT_AUDIENCE),
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    loginWindowMinutes: env.LOGIN_WINDOW_MINUTES,
    passwordResetExpireMinutes: env.PASSWORD_RESET_EXPIRE_MINUTES,
    mfaIssuer: env.MFA_ISSUER,
    ...mail.map(env),
  };
}

module.exports = { shape, map };
