'use strict';
/**
 * Password resets: a single-use token, valid for a short time, sent through the outbox.
 *
 * Asking always answers the same, so it tells nobody whether an email has an account.
 * Only the newest token of a user works; setting the password ends every session.
 * @module services/password_resets
 */
const { digest, newToken } = require('../core/crypto');
const { invalidField } = require('../core/errors');
const { hashPassword } = require('../core/security');
const { insert, isoTimestamp, now, transaction } = require('../db');
const outbox = require('./outbox');
const tokens = require('./tokens');
const users = require('./users');

const ACCEPTED = 'If the email has an account, a reset token is on its way';
const SUBJECT = 'Reset your password';

/**
 * @param {string} token
 * @param {number} minutes
 */
function body(token, minutes) {
  return `Someone asked to reset the password of your account.

Reset token: ${token}

It works once, within ${minutes} minutes: POST /auth/password-reset/confirm with
{"token": "<the token>", "new_password": "<your new password>"}.
If you did not ask for it, ignore this message; your password stays as it is.
`;
}

/**
 * @param {string} token
 * @param {import('../core/config').Settings} settings
 */
function tokenDigest(token, settings) {
  return digest(token, settings, 'password-reset');
}

/**
 * Send a reset token to an active account; return the one answer for every email.
 * @param {import('knex').Knex} db
 * @param {string} email
 * @param {import('../core/config').Settings} settings
 */
async function requestReset(db, email, settings) {
  const user = await users.getByEmail(db, email);
  if (!user || !user.is_active) return ACCEPTED;
  const token = newToken();
  const minutes = settings.kind.passwordResetExpireMinutes;
  await transaction(db, async (trx) => {
    const time = now();
    // The user's row first, as every change to the user's reset tokens takes it.
    await tokens.lockUser(trx, user.id, { shared: true });
    // Only the newest token works: earlier unused ones are spent.
    await trx('password_reset_tokens')
      .where({ user_id: user.id })
      .whereNull('used_at')
      .update({ used_at: time });
    await insert(trx, 'password_reset_tokens', {
      user_id: user.id,
      token_hash: tokenDigest(token, settings),
      created_at: time,
      expires_at: new Date(time.getTime() + minutes * 60_000),
      used_at: null,
    });
    await outbox.enqueue(trx, {
      recipient: user.email,
      subject: SUBJECT,
      body: body(token, minutes),
    });
  });
  return ACCEPTED;
}

/**
 * Set the new password if the token is valid, once; end every session (which voids the
 * user's other unused reset tokens too).
 * @param {import('knex').Knex} db
 * @param {{token: string, new_password: string}} data
 * @param {import('../core/config').Settings} settings
 */
async function confirmReset(db, data, settings) {
  const invalid = () => invalidField('token', 'Invalid or expired reset token');
  const stored = await db('password_reset_tokens')
    .where({ token_hash: tokenDigest(data.token, settings) })
    .first();
  const time = now();
  if (
    !stored ||
    stored.used_at !== null ||
    new Date(/** @type {string} */ (isoTimestamp(stored.expires_at))) <= time
  ) {
    throw invalid();
  }
  // Hashed before any lock is taken: argon2 takes its time.
  const passwordHash = await hashPassword(data.new_password, settings);
  await transaction(db, async (trx) => {
    // The user's row first, as every change to the user's sessions takes it.
    const user = await tokens.lockUser(trx, Number(stored.user_id));
    if (!user || !user.is_active) throw invalid();
    // Of two concurrent uses of one token, only one can spend it.
    const spent = await trx('password_reset_tokens')
      .where({ id: stored.id })
      .whereNull('used_at')
      .update({ used_at: time });
    if (spent !== 1) throw invalid();
    await trx('users')
      .where({ id: user.id })
      .update({ password_hash: passwordHash, updated_at: time });
    await tokens.endSessions(trx, user.id);
  });
}

module.exports = { ACCEPTED, requestReset, confirmReset };
