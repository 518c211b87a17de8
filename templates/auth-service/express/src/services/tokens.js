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
 *
 * Ending a session and rotating its refresh token may run at the same instant; neither
 * order may leave a working token behind:
 * - Every token carries the user's token epoch (the `epoch` claim). Ending every session
 *   (log out everywhere, a password change or reset, disabling the account) updates the
 *   user's row first, moving the epoch on; a rotation locks that row (shared) before it
 *   claims the old token. So the two serialize on the user's row, and a token of the old
 *   epoch never works again. Every transaction that changes a user's sessions or reset
 *   tokens takes the user's row first, so they cannot deadlock.
 * - A session is over once any of its tokens is revoked. Of a logout of one session and
 *   a rotation, the conditional UPDATE of the presented token decides: either the
 *   rotation marks it used first, and the logout then revokes it (so the new token
 *   belongs to an ended session), or the logout revokes it first, and the rotation finds
 *   it taken.
 * @module services/tokens
 */
const crypto = require('node:crypto');

const { digest } = require('../core/crypto');
const { Unauthorized } = require('../core/errors');
const { EPOCH_CLAIM, TokenType, createToken, decodeToken, inEpoch } = require('../core/security');
const { insert, isoTimestamp, now, toCount, transaction } = require('../db');
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
 * A new access and refresh token for a user, in a new session unless one is given. The
 * access token also tells the services that accept it who the user is now: the email
 * and roles claims (core/security.js adds iss and aud).
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {import('./users').UserRow} user
 * @param {import('../core/config').Settings} settings
 * @param {string} [familyId]
 */
async function issuePair(db, user, settings, familyId = crypto.randomUUID().replaceAll('-', '')) {
  const subject = String(user.id);
  const claims = { sid: familyId, [EPOCH_CLAIM]: Number(user.token_epoch) };
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
    access_token: createToken(subject, TokenType.ACCESS, settings, {
      ...claims,
      email: user.email,
      roles: [user.role],
    }),
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
  const claims = decodeToken(refreshToken, TokenType.REFRESH, settings);
  const stored = await db('refresh_tokens')
    .where({ token_hash: tokenDigest(refreshToken, settings) })
    .first();
  if (!stored) throw new Unauthorized(REFUSED);
  const time = now();
  if (stored.used_at !== null || stored.revoked_at !== null) {
    await revokeFamily(db, stored.family_id);
    throw new Unauthorized(REFUSED);
  }
  const expiresAt = new Date(/** @type {string} */ (isoTimestamp(stored.expires_at)));
  if (expiresAt <= time) throw new Unauthorized(REFUSED);
  // Again if the database says a concurrent transaction got in the way (SQLite: another
  // process wrote after this one read).
  const pair = await transaction(db, async (trx) => {
    const user = await lockUser(trx, Number(stored.user_id), { shared: true });
    if (
      !user ||
      !user.is_active ||
      !inEpoch(claims, user.token_epoch) ||
      !(await sessionAlive(trx, stored.family_id, user.id))
    ) {
      throw new Unauthorized(REFUSED);
    }
    // Only one of two concurrent uses can mark the token used; the other is a reuse.
    // The new token is added in the same transaction.
    const claimed = await trx('refresh_tokens')
      .where({ id: stored.id })
      .whereNull('used_at')
      .whereNull('revoked_at')
      .update({ used_at: time });
    return claimed === 1 ? issuePair(trx, user, settings, stored.family_id) : undefined;
  });
  if (!pair) {
    await revokeFamily(db, stored.family_id);
    throw new Unauthorized(REFUSED);
  }
  return pair;
}

/**
 * Read a user's row and lock it until the transaction ends (SQLite, where writes
 * serialize, has no FOR UPDATE). A transaction that changes the user's sessions or
 * reset tokens takes this lock, or updates the row, before it touches them.
 * @param {import('knex').Knex.Transaction} trx
 * @param {number} userId
 * @param {{shared?: boolean}} [options]
 * @returns {Promise<import('./users').UserRow | undefined>}
 */
function lockUser(trx, userId, { shared = false } = {}) {
  const read = trx('users').where({ id: userId }).first();
  if (trx.client.config.client !== 'better-sqlite3') {
    if (shared) read.forShare();
    else read.forUpdate();
  }
  return read;
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
  if (
    !user ||
    !user.is_active ||
    !inEpoch(claims, user.token_epoch) ||
    typeof familyId !== 'string' ||
    !(await sessionAlive(db, familyId, user.id))
  ) {
    throw new Unauthorized(REFUSED);
  }
  return user;
}

/**
 * Whether the session has tokens of the user and none of them is revoked.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {string} familyId
 * @param {number} userId
 */
async function sessionAlive(db, familyId, userId) {
  const row = await db('refresh_tokens')
    .where({ family_id: familyId, user_id: userId })
    .first(db.raw('count(id) as tokens'), db.raw('count(revoked_at) as revoked'));
  return toCount(row?.tokens) > 0 && toCount(row?.revoked) === 0;
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
 * End every session of a user for good, and void their unused reset tokens: whoever
 * ends every session suspects that someone else got in, and a reset token is another
 * way in. Call it in the transaction that causes it.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {number} userId
 */
async function endSessions(db, userId) {
  const time = now();
  await db('users').where({ id: userId }).increment('token_epoch', 1);
  await db('refresh_tokens')
    .where({ user_id: userId })
    .whereNull('revoked_at')
    .update({ revoked_at: time });
  await db('password_reset_tokens')
    .where({ user_id: userId })
    .whereNull('used_at')
    .update({ used_at: time });
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

module.exports = {
  issuePair,
  rotate,
  lockUser,
  userForClaims,
  revokeSession,
  endSessions,
  REFUSED,
};
