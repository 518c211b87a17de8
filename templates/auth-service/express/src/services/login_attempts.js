'use strict';
/**
 * Failed-login throttling by normalized email: too many failures answer 429.
 *
 * An attempt is recorded before the password is checked, so concurrent guesses count
 * against each other (a burst of parallel requests cannot slip past the limit), and it
 * is discarded when it turns out to be no failure. Unknown emails are recorded and
 * throttled like known ones, so a 429 says nothing about whether an account exists.
 *
 * A success deletes only its own record: failures age out of the window and nothing
 * else lifts a lockout, so there is nothing an attacker could do to reset the count.
 * During a lockout the password is not even checked (no hashing work to force on us).
 * @module services/login_attempts
 */
const { AppError } = require('../core/errors');
const { insert, isoTimestamp, now } = require('../db');
const { normalizeEmail } = require('./users');

/** Too many failures for this email lately; Retry-After says when to try again. */
class TooManyAttempts extends AppError {
  /** @param {number} retryAfter seconds */
  constructor(retryAfter) {
    super(undefined, { 'Retry-After': String(retryAfter) });
  }
}
TooManyAttempts.status = 429;
TooManyAttempts.defaultDetail = 'Too many failed attempts; try again later';

/**
 * Record an attempt for an email and return its id, or throw TooManyAttempts.
 * The record counts as a failure unless discard() is called with the id.
 * @param {import('knex').Knex} db
 * @param {string} email
 * @param {import('../core/config').Settings} settings
 * @returns {Promise<number>}
 */
async function begin(db, email, settings) {
  const address = normalizeEmail(email);
  const time = now();
  const windowMs = settings.kind.loginWindowMinutes * 60_000;
  const since = new Date(time.getTime() - windowMs);
  await forgetStale(db, address, since);
  const id = await insert(db, 'login_attempts', { email: address, created_at: time });
  const earlier = await db('login_attempts')
    .where({ email: address })
    .where('created_at', '>=', since)
    .whereNot({ id })
    .orderBy('created_at', 'desc')
    .limit(settings.kind.loginMaxFailures)
    .select('created_at');
  if (earlier.length >= settings.kind.loginMaxFailures) {
    // A refused attempt is no guess, so it does not prolong the lockout.
    await discard(db, id);
    // Free again once the oldest of the latest failures leaves the window.
    const oldest = new Date(
      /** @type {string} */ (isoTimestamp(earlier[earlier.length - 1].created_at)),
    );
    const seconds = Math.ceil((oldest.getTime() + windowMs - time.getTime()) / 1000);
    throw new TooManyAttempts(Math.max(1, seconds));
  }
  return id;
}

/**
 * Delete the attempts for an email older than `before`.
 *
 * By primary key, after a plain read: a ranged DELETE on (email, created_at) locks the
 * index entry before the row, discard() the row before the entry, and the two deadlock
 * on MySQL when a burst of logins for one email meets.
 * @param {import('knex').Knex} db
 * @param {string} email normalized
 * @param {Date} before
 */
async function forgetStale(db, email, before) {
  const stale = await db('login_attempts')
    .where({ email })
    .where('created_at', '<', before)
    .pluck('id');
  if (stale.length > 0) await db('login_attempts').whereIn('id', stale).delete();
}

/**
 * Forget an attempt that was no failure (a success, or a question that was no guess).
 * @param {import('knex').Knex} db
 * @param {number} attemptId
 */
async function discard(db, attemptId) {
  await db('login_attempts').where({ id: attemptId }).delete();
}

module.exports = { TooManyAttempts, begin, discard };
