'use strict';
/**
 * Accounts: registration, lookup, admins.
 * @module services/users
 */
const { Conflict, NotFound } = require('../core/errors');
const { ADMIN, DEFAULT_ROLE } = require('../core/roles');
const { hashPassword } = require('../core/security');
const { insert, isUniqueViolation, isoTimestamp, now } = require('../db');
const { MAX_ID } = require('../schemas/common');
const { paginate } = require('./pagination');

/**
 * @typedef {object} UserRow
 * @property {number} id
 * @property {string} email
 * @property {string} password_hash
 * @property {string} role
 * @property {boolean | number} is_active
 * @property {number | string} token_epoch
 * @property {Date | number | string} created_at
 * @property {Date | number | string} updated_at
 */

/** Emails are compared case-insensitively. @param {string} email */
function normalizeEmail(email) {
  return email.trim().toLowerCase();
}

/**
 * A user as the API shows it (never the password hash).
 * @param {UserRow} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    email: row.email,
    role: row.role,
    is_active: Boolean(row.is_active),
    created_at: isoTimestamp(row.created_at),
  };
}

/** @param {UserRow} user */
function isAdmin(user) {
  return user.role === ADMIN;
}

/**
 * @param {import('knex').Knex} db
 * @param {string} email
 * @returns {Promise<UserRow | undefined>}
 */
function getByEmail(db, email) {
  return db('users')
    .where({ email: normalizeEmail(email) })
    .first();
}

/**
 * A user by id, or undefined.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {number} id
 * @returns {Promise<UserRow | undefined>}
 */
async function find(db, id) {
  if (!Number.isInteger(id) || id < 1 || id > MAX_ID) return undefined;
  return db('users').where({ id }).first();
}

/**
 * A user by id, or throw NotFound.
 * @param {import('knex').Knex} db
 * @param {number} id
 */
async function get(db, id) {
  const user = await find(db, id);
  if (!user) throw new NotFound('User not found');
  return user;
}

/**
 * Create an account; a taken email is a Conflict, also when two requests race.
 * @param {import('knex').Knex} db
 * @param {{email: string, password: string}} data
 * @param {import('../core/config').Settings} settings
 */
async function register(db, data, settings) {
  const email = normalizeEmail(data.email);
  if (await getByEmail(db, email)) throw new Conflict('Email already registered');
  const passwordHash = await hashPassword(data.password, settings);
  const time = now();
  try {
    const id = await insert(db, 'users', {
      email,
      password_hash: passwordHash,
      role: DEFAULT_ROLE,
      is_active: true,
      created_at: time,
      updated_at: time,
    });
    return get(db, id);
  } catch (error) {
    // Another request registered the same email between the check and the insert.
    if (isUniqueViolation(error)) throw new Conflict('Email already registered');
    throw error;
  }
}

/**
 * Create an admin, or make an existing user admin with this password.
 * @param {import('knex').Knex} db
 * @param {string} email
 * @param {string} password
 * @param {import('../core/config').Settings} settings
 */
async function createAdmin(db, email, password, settings) {
  const passwordHash = await hashPassword(password, settings);
  const existing = await getByEmail(db, email);
  const time = now();
  if (existing) {
    await db('users')
      .where({ id: existing.id })
      .update({ password_hash: passwordHash, role: ADMIN, is_active: true, updated_at: time });
    return get(db, existing.id);
  }
  const id = await insert(db, 'users', {
    email: normalizeEmail(email),
    password_hash: passwordHash,
    role: ADMIN,
    is_active: true,
    created_at: time,
    updated_at: time,
  });
  return get(db, id);
}

/**
 * One page of users, oldest first, filtered by role and status.
 * @param {import('knex').Knex} db
 * @param {{limit: number, offset: number, role?: string, is_active?: boolean}} query
 */
function listUsers(db, query) {
  const users = db('users');
  if (query.role !== undefined) users.where({ role: query.role });
  if (query.is_active !== undefined) users.where({ is_active: query.is_active });
  return paginate(db, users, query, (q) => q.orderBy('id'), toPublic);
}

/**
 * Change a user's role or status; an admin cannot demote or disable themselves.
 * @param {import('knex').Knex} db
 * @param {UserRow} admin
 * @param {number} userId
 * @param {{role?: string, is_active?: boolean}} changes
 */
async function updateUser(db, admin, userId, changes) {
  const user = await get(db, userId);
  if (
    user.id === admin.id &&
    ((changes.role !== undefined && changes.role !== ADMIN) || changes.is_active === false)
  ) {
    throw new Conflict('Admins cannot remove their own admin role or disable themselves');
  }
  if (Object.keys(changes).length) {
    await db.transaction(async (trx) => {
      await trx('users')
        .where({ id: user.id })
        .update({ ...changes, updated_at: now() });
      // Disabling ends every session for good: enabling the account again later brings
      // none of its tokens back. (Required here: services/tokens requires this module.)
      if (changes.is_active === false) await require('./tokens').endSessions(trx, user.id);
    });
  }
  return get(db, user.id);
}

module.exports = {
  normalizeEmail,
  toPublic,
  isAdmin,
  getByEmail,
  find,
  get,
  register,
  createAdmin,
  listUsers,
  updateUser,
};
