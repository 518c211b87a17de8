'use strict';
/**
 * Webhook signatures: HMAC-SHA256 over `timestamp + "." + body`, with a per-endpoint secret.
 *
 * Every webhook request carries a header (the hex digest shortened here):
 *
 *     Scaffold-Signature: t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e7...
 *
 * `t` is the Unix time of the attempt and `v1` the hex HMAC-SHA256, keyed with the
 * endpoint's secret (whsec_..., as UTF-8 bytes), of `${t}.` followed by the raw body.
 * A receiver checks it with verifySignature() on the raw body, before parsing it; this
 * module needs only node:crypto, so it can be copied as it is.
 * @module core/signatures
 */
const crypto = require('node:crypto');

const SIGNATURE_HEADER = 'Scaffold-Signature';
const SCHEME = 'v1';
const DEFAULT_TOLERANCE = 300;

/**
 * The hex HMAC-SHA256 of `${timestamp}.` + body, keyed with `secret`.
 * @param {string} secret
 * @param {number} timestamp
 * @param {Buffer | string} body
 */
function computeSignature(secret, timestamp, body) {
  return crypto
    .createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${timestamp}.`)
    .update(body)
    .digest('hex');
}

/**
 * The Scaffold-Signature header value for `body`, signed now by default.
 * @param {string} secret
 * @param {Buffer | string} body
 * @param {number} [timestamp] Unix seconds
 */
function sign(secret, body, timestamp = Math.floor(Date.now() / 1000)) {
  return `t=${timestamp},${SCHEME}=${computeSignature(secret, timestamp, body)}`;
}

/**
 * Whether `header` signs `body` with `secret`, within `tolerance` seconds of now.
 *
 * Any v1 entry may match (several appear while a secret is being rotated); the
 * comparison takes constant time. A tolerance of 0 or less skips the time check.
 * @param {string} secret the endpoint's signing secret, as POST /webhooks returned it
 * @param {string} header the value of the Scaffold-Signature header
 * @param {Buffer | string} body the raw request body, exactly as received
 * @param {number} [tolerance] the largest accepted distance between t and now (seconds)
 * @param {number} [now] the current Unix time (tests)
 */
function verifySignature(secret, header, body, tolerance = DEFAULT_TOLERANCE, now = undefined) {
  let timestamp = null;
  const candidates = [];
  for (const part of String(header).split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 't' && /^[0-9]+$/.test(value)) timestamp = Number(value);
    else if (name === SCHEME && value) candidates.push(value);
  }
  if (timestamp === null || candidates.length === 0) return false;
  const current = now ?? Date.now() / 1000;
  if (tolerance > 0 && Math.abs(current - timestamp) > tolerance) return false;
  const expected = Buffer.from(computeSignature(secret, timestamp, body), 'utf8');
  return candidates.some((candidate) => {
    const given = Buffer.from(candidate, 'utf8');
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}

module.exports = {
  SIGNATURE_HEADER,
  SCHEME,
  DEFAULT_TOLERANCE,
  computeSignature,
  sign,
  verifySignature,
};
