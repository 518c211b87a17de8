'use strict';
/**
 * Token pairs: a short-lived access token, and a refresh token stored and rotated.
 *
 * Each login starts a session: a family of refresh tokens sharing one id, which every
 * token of the session carries as its `sid` claim. A refresh token works once, and is
 * stored only as a keyed digest. Using it again means it was copied: the whole family
 * is revoked, so the thief's and the owner's newest tokens both stop working. An access
 * token is accepted only while its session is alive, so a logout, a password change or
 * a detected reuse ends it at once, not when it expires.
 * @module services/tokens
 */
const crypto = require('node:crypto');

const { digest } = require('../core/crypto');
const { Unauthorized } = require('../core/errors');
const { TokenType, createToken, decodeToken } = require('../core/security');
const { insert, isoTimestamp, now } = require('../db');
const users = require('./users');

// The one answer for every refused token, whatever the reason.
const REFUSED = 'Invalid or expired token';

/**
 * @param {string} token
 * @param {import('../core/config').Settings} settings
 */
function tokenDigest(token, settings) {
  return digest(token, settings, 'refresh-token');
}

/**
 * A new access and refresh token for a user, in a new session unless one is given.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {import('../core/config').Settings} settings
 * @param {string} [familyId]
 */
async function issuePair(db, user, settings, familyId = crypto.randomUUID().replaceAll('-', '')) {
  const subject = String(user.id);
  const claims = { sid: familyId };
  const refreshToken = createToken(subject, TokenType.REFRESH, settings, claims);
  const time = now();
  await insert(db, 'refresh_tokens', {
    user_id: user.id,
    family_id: familyId,
    token_hash: tokenDigest(refreshToken, settings),
    created_at: time,
    expires_at: new Date(time.getTime() + settings.refreshTokenExpireMinutes * 60_000),
    used_at: null,
    revoked_at: null,
  });
  return {
    access_token: createToken(subject, TokenType.ACCESS, settings, claims),
    refresh_token: refreshToken,
    token_type: 'bearer',
  };
}

/**
 * Exchange a refresh token, once, for a new pair of the same session.
 * @param {import('knex').Knex} db
 * @param {string} refreshToken
 * @param {import('../core/config').Settings} settings
 */
async function rotate(db, refreshToken, settings) {
  decodeToken(refreshToken, TokenType.REFRESH, settings);
  const stored = await db('refresh_tokens')
    .where({ token_hash: tokenDigest(refreshToken, settings) })
    .first();
  if (!stored) throw new Unauthorized(REFUSED);
  const time = now();
  if (stored.used_at !== null || stored.revoked_at !== null) {
    await revokeFamily(db, stored.family_id);
    throw new Unauthorized(REFUSED);
  }
  const user = await users.find(db, Number(stored.user_id));
  const expiresAt = new Date(/** @type {string} */ (isoTimestamp(stored.expires_at)));
  if (expiresAt <= time || !user || !user.is_active) throw new Unauthorized(REFUSED);
  // Only one of two concurrent uses can mark the token used; the other is a reuse.
  const claimed = await db('refresh_tokens')
    .where({ id: stored.id })
    .whereNull('used_at')
    .whereNull('revoked_at')
    .update({ used_at: time });
  if (claimed !== 1) {
    await revokeFamily(db, stored.family_id);
    throw new Unauthorized(REFUSED);
  }
  return issuePair(db, user, settings, stored.family_id);
}

/**
 * The active user of an access token whose session is alive, or throw Unauthorized.
 * @param {import('knex').Knex} db
 * @param {Record<string, any>} claims
 */
async function userForClaims(db, claims) {
  const { sub: subject, sid: familyId } = claims;
  const user =
    typeof subject === 'string' && /^\d{1,10}$/.test(subject)
      ? await users.find(db, Number(subject))
      : undefined;
  if (!user || !user.is_active || typeof familyId !== 'string') throw new Unauthorized(REFUSED);
  const alive = await db('refresh_tokens')
    .where({ family_id: familyId, user_id: user.id })
    .whereNull('revoked_at')
    .first('id');
  if (!alive) throw new Unauthorized(REFUSED);
  return user;
}

/**
 * End the session of one of a user's refresh tokens (unknown tokens change nothing).
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {string} refreshToken
 * @param {import('../core/config').Settings} settings
 */
async function revokeSession(db, user, refreshToken, settings) {
  const stored = await db('refresh_tokens')
    .where({ token_hash: tokenDigest(refreshToken, settings), user_id: user.id })
    .first('family_id');
  if (stored) await revokeFamily(db, stored.family_id);
}

/**
 * End every session of a user.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {number} userId
 */
async function revokeAll(db, userId) {
  await db('refresh_tokens')
    .where({ user_id: userId })
    .whereNull('revoked_at')
    .update({ revoked_at: now() });
}

/**
 * @param {import('knex').Knex} db
 * @param {string} familyId
 */
async function revokeFamily(db, familyId) {
  await db('refresh_tokens')
    .where({ family_id: familyId })
    .whereNull('revoked_at')
    .update({ revoked_at: now() });
}

module.exports = { issuePair, rotate, userForClaims, revokeSession, revokeAll, REFUSED };
