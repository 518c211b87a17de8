'use strict';
/**
 * Retry a write that lost a race, and answer 409 if it keeps losing.
 *
 * Unique constraints (a post's slug) decide who wins when two requests write the same
 * value at once; the loser's transaction rolls back and runs again with fresh reads.
 * @module services/retry
 */
const { Conflict } = require('../core/errors');
const { isUniqueViolation } = require('../db');

const ATTEMPTS = 10;
// Serialization failure and deadlock (PostgreSQL); lock wait timeout and deadlock (MySQL).
const RETRY_SQLSTATES = new Set(['40001', '40P01']);
const RETRY_MYSQL_ERRNOS = new Set([1205, 1213]);

/**
 * Whether an error means another transaction got there first.
 * @param {any} error
 */
function lostARace(error) {
  if (!error) return false;
  if (isUniqueViolation(error)) return true;
  if (RETRY_SQLSTATES.has(error.code) || RETRY_MYSQL_ERRNOS.has(error.errno)) return true;
  // SQLite: another process wrote since this transaction read (WAL snapshot), or held
  // the lock longer than the busy timeout.
  return String(error.code || '').startsWith('SQLITE_BUSY');
}

/**
 * Run `work` in a transaction, again from scratch while it loses races.
 * @template T
 * @param {import('knex').Knex} db
 * @param {(trx: import('knex').Knex.Transaction) => Promise<T>} work
 * @param {string} conflict the 409 detail when every attempt lost
 * @returns {Promise<T>}
 */
async function transactionWithRetry(db, work, conflict) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (!lostARace(error)) throw error;
    }
  }
  throw new Conflict(conflict);
}

module.exports = { lostARace, transactionWithRetry };
