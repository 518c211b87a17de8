'use strict';
/**
 * The local user of an issuer's subject: made on the subject's first request, its email
 * kept as the issuer's token says it.
 * @module services/subjects
 */
const crypto = require('node:crypto');

const { Conflict, Unauthorized } = require('../core/errors');
const { DEFAULT_ROLE } = require('../core/roles');
const { insert, isUniqueViolation, now } = require('../db');
const { normalizeEmail } = require('./users');

/** What the users table holds at most (migrations 0001 and 0006). */
const MAX_EMAIL = 320;
const MAX_SUBJECT = 255;
const TAKEN = 'Email already belongs to another account';

/**
 * A password hash no password matches (the issuer checks passwords, never this service).
 */
function unusablePassword() {
  return `!jwks:${crypto.randomBytes(18).toString('base64url')}`;
}

/**
 * @param {import('knex').Knex} db
 * @param {string} subject
 * @returns {Promise<import('./users').UserRow | undefined>}
 */
function bySubject(db, subject) {
  return db('users').where({ subject }).first();
}

/**
 * Whether a local user of another subject has this email.
 * @param {import('knex').Knex} db
 * @param {string} email
 * @param {string} subject
 */
async function ownedElsewhere(db, email, subject) {
  const owner = await db('users').where({ email }).first();
  return Boolean(owner && owner.subject !== subject);
}

/**
 * The local user of the token's subject: made now if it has none (the kind's default
 * role), its email updated if the token's differs. Requests racing on one new subject
 * all get the one user: the unique subject lets one insert win, the others read it.
 * An email of another subject's user is a Conflict.
 * @param {import('knex').Knex} db
 * @param {Record<string, any>} claims a valid access token's
 * @returns {Promise<import('./users').UserRow>}
 */
async function userOf(db, claims) {
  const subject = /** @type {string} */ (claims.sub);
  if (typeof claims.email !== 'string' || subject.length > MAX_SUBJECT) {
    throw new Unauthorized('Invalid or expired token');
  }
  const email = normalizeEmail(claims.email);
  if (!email || email.length > MAX_EMAIL) throw new Unauthorized('Invalid or expired token');
  const user = (await bySubject(db, subject)) ?? (await create(db, subject, email));
  if (user.email === email) return user;
  if (await ownedElsewhere(db, email, subject)) throw new Conflict(TAKEN);
  try {
    await db('users').where({ id: user.id }).update({ email, updated_at: now() });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(TAKEN);
    throw error;
  }
  return { ...user, email };
}

/**
 * Make the subject's user, or read the one a racing request made.
 * @param {import('knex').Knex} db
 * @param {string} subject
 * @param {string} email
 * @returns {Promise<import('./users').UserRow>}
 */
async function create(db, subject, email) {
  if (await ownedElsewhere(db, email, subject)) throw new Conflict(TAKEN);
  const time = now();
  try {
    await insert(db, 'users', {
      email,
      subject,
      password_hash: unusablePassword(),
      role: DEFAULT_ROLE,
      is_active: true,
      created_at: time,
      updated_at: time,
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  // Ours, or the racing request's; none: the email was taken meanwhile.
  const made = await bySubject(db, subject);
  if (!made) throw new Conflict(TAKEN);
  return made;
}

module.exports = { userOf };
