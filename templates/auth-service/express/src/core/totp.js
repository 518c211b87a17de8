'use strict';
/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) with
 * node:crypto, as authenticator apps compute them.
 * @module core/totp
 */
const crypto = require('node:crypto');

const DIGITS = 6;
const INTERVAL_SECONDS = 30;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Base32 (RFC 4648, no padding), the way authenticator apps take secrets.
 * @param {Buffer} bytes
 */
function base32Encode(bytes) {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += ALPHABET[(value << (5 - bits)) & 31];
  return output;
}

/**
 * @param {string} text base32, case and padding ignored
 * @returns {Buffer}
 */
function base32Decode(text) {
  const clean = text.toUpperCase().replace(/=+$/, '');
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new random secret: 160 bits, base32 (32 characters). */
function randomSecret() {
  return base32Encode(crypto.randomBytes(20));
}

/**
 * The time step of a moment.
 * @param {number} [milliseconds] since the epoch
 */
function timeStep(milliseconds = Date.now()) {
  return Math.floor(milliseconds / 1000 / INTERVAL_SECONDS);
}

/**
 * The code of one time step (RFC 4226 HOTP with the step as counter).
 * @param {string} secret base32
 * @param {number} step
 */
function codeAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(number % 10 ** DIGITS).padStart(DIGITS, '0');
}

/**
 * The step whose code this is, among the steps around now (clock drift), or null.
 * @param {string} secret base32
 * @param {string} code
 * @param {number} window steps accepted before and after the current one
 * @param {number} [now] milliseconds since the epoch
 * @returns {number | null}
 */
function matchingStep(secret, code, window, now = Date.now()) {
  const current = timeStep(now);
  const given = Buffer.from(code);
  let found = null;
  for (let step = current - window; step <= current + window; step += 1) {
    const expected = Buffer.from(codeAt(secret, step));
    // Compare every candidate in constant time, whatever matched before.
    if (expected.length === given.length && crypto.timingSafeEqual(expected, given)) found = step;
  }
  return found;
}

/**
 * The otpauth:// URI authenticator apps read (usually as a QR code).
 * @param {string} secret
 * @param {string} account
 * @param {string} issuer
 */
function provisioningUri(secret, account, issuer) {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({ secret, issuer }).toString().replaceAll('+', '%20');
  return `otpauth://totp/${label}?${query}`;
}

module.exports = {
  DIGITS,
  INTERVAL_SECONDS,
  base32Encode,
  base32Decode,
  randomSecret,
  timeStep,
  codeAt,
  matchingStep,
  provisioningUri,
};
