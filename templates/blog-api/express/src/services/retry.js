'use strict';
/**
 * Retry a write that lost a race, and answer 409 if it keeps losing.
 *
 * Unique constraints (a post's slug) decide who wins when two requests write the same
 * value at once; the loser's transaction rolls back and runs again with fresh reads.
 * Deadlocks, lock waits and SQLite's busy snapshots are retried the same way.
 * @module services/retry
 */
const { Conflict } = require('../core/errors');
const { isRetryable, isUniqueViolation } = require('../db');

const ATTEMPTS = 10;

/**
 * Run `work` in a transaction, again from scratch while it loses races.
 * @template T
 * @param {import('knex').Knex} db
 * @param {(trx: import('knex').Knex.Transaction) => Promise<T>} work
 * @param {string} conflict the 409 detail when every attempt lost
 * @returns {Promise<T>}
 */
async function transactionWithRetry(db, work, conflict) {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (!(isUniqueViolation(error) || isRetryable(error))) throw error;
      // A short, growing, jittered pause, so that the racers do not collide again.
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
  throw new Conflict(conflict);
}

module.exports = { transactionWithRetry };
