'use strict';
/**
 * Secrets at rest: keyed digests of tokens and codes, and sealed (encrypted) TOTP secrets.
 *
 * Refresh tokens, reset tokens and recovery codes are stored only as HMAC-SHA256 digests
 * keyed with SECRET_KEY: a copy of the database alone lets nobody use them. TOTP secrets
 * must be read back, so they are encrypted with AES-256-GCM under a key derived from
 * SECRET_KEY (HKDF). Changing SECRET_KEY therefore ends every session and every reset
 * token, and turns off the TOTP secrets sealed with the old key (their owners enrol again).
 * @module core/crypto
 */
const crypto = require('node:crypto');

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A random token with 256 bits of entropy, URL-safe. */
function newToken() {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * The keyed digest stored instead of a value (64 hex characters). The purpose
 * separates the uses, so a digest of one kind never matches another.
 * @param {string} value
 * @param {{secretKey: string}} settings
 * @param {string} purpose
 */
function digest(value, settings, purpose) {
  return crypto
    .createHmac('sha256', settings.secretKey)
    .update(`${purpose}:${value}`)
    .digest('hex');
}

/** @type {Map<string, Buffer>} */
const sealingKeys = new Map();

/** @param {{secretKey: string}} settings */
function sealingKey(settings) {
  let key = sealingKeys.get(settings.secretKey);
  if (!key) {
    key = Buffer.from(
      crypto.hkdfSync('sha256', settings.secretKey, Buffer.alloc(0), 'totp-secret-seal', 32),
    );
    sealingKeys.set(settings.secretKey, key);
  }
  return key;
}

/**
 * Encrypt a text (AES-256-GCM with a fresh nonce); the result is ASCII.
 * @param {string} plaintext
 * @param {{secretKey: string}} settings
 */
function seal(plaintext, settings) {
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', sealingKey(settings), nonce);
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64url');
}

/**
 * Decrypt what seal() made, or return null if it was sealed with another key.
 * @param {string} token
 * @param {{secretKey: string}} settings
 * @returns {string | null}
 */
function unseal(token, settings) {
  try {
    const raw = Buffer.from(token, 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) return null;
    const decipher = crypto.createDecipheriv(
      'aes-256-gcm',
      sealingKey(settings),
      raw.subarray(0, NONCE_BYTES),
    );
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const opened = Buffer.concat([
      decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return opened.toString('utf8');
  } catch {
    return null;
  }
}

module.exports = { newToken, digest, seal, unseal };
