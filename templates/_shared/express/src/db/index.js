'use strict';
/**
 * The database: a knex instance for DATABASE_URL, migrations, and small helpers
 * that hide what differs between SQLite, PostgreSQL and MySQL.
 * @module db
 */
const path = require('node:path');
const knex = require('knex');

const driver = require('./driver');

const MIGRATIONS = path.join(__dirname, '..', 'migrations');

/**
 * Open a connection pool for a database URL.
 * @param {string} url
 * @param {{poolSize?: number}} [options] connections at most (PostgreSQL, MySQL; SQLite's
 *   synchronous driver keeps one)
 * @returns {import('knex').Knex}
 */
function connect(url, { poolSize = 10 } = {}) {
  return knex({
    ...driver.knexConfig(url, poolSize),
    migrations: { directory: MIGRATIONS, loadExtensions: ['.js'], tableName: 'knex_migrations' },
  });
}

/**
 * Insert one row and return its new id (every table has an integer id).
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {string} table
 * @param {Record<string, unknown>} row
 * @returns {Promise<number>}
 */
async function insert(db, table, row) {
  const [result] = driver.returning
    ? await db(table).insert(row).returning('id')
    : await db(table).insert(row);
  return Number(typeof result === 'object' ? result.id : result);
}

/**
 * Tell whether an error is a unique constraint violation, on any of the databases.
 * @param {any} error
 */
function isUniqueViolation(error) {
  return Boolean(
    error &&
    (error.code === '23505' ||
      error.code === 'ER_DUP_ENTRY' ||
      error.errno === 1062 ||
      String(error.code).startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
      String(error.code).startsWith('SQLITE_CONSTRAINT_PRIMARYKEY')),
  );
}

/**
 * Tell whether an error means "try the transaction again": SQLite busy (another process
 * wrote since this transaction's snapshot), a PostgreSQL serialization failure or
 * deadlock, a MySQL deadlock or lock wait timeout.
 * @param {any} error
 */
function isRetryable(error) {
  if (!error) return false;
  const code = String(error.code);
  return (
    code.startsWith('SQLITE_BUSY') ||
    code === 'SQLITE_LOCKED' ||
    code === '40001' ||
    code === '40P01' ||
    error.errno === 1213 ||
    error.errno === 1205
  );
}

/**
 * Run work in a transaction, again (a few times, after a short pause) when the database
 * answers that a concurrent transaction got in the way.
 * @template T
 * @param {import('knex').Knex} db
 * @param {(trx: import('knex').Knex.Transaction) => Promise<T>} work
 * @param {number} [attempts]
 * @returns {Promise<T>}
 */
async function transaction(db, work, attempts = 5) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}

/** The current time, as stored in timestamp columns (UTC). */
function now() {
  return new Date();
}

/**
 * A stored timestamp (a Date, epoch milliseconds from SQLite, or a string) as ISO 8601 UTC.
 * @param {Date | number | string | null | undefined} value
 * @returns {string | null}
 */
function isoTimestamp(value) {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || /^\d+$/.test(value))
    return new Date(Number(value)).toISOString();
  const text = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  return new Date(text).toISOString();
}

/**
 * A count from an aggregate (PostgreSQL answers bigints as strings).
 * @param {unknown} value
 */
function toCount(value) {
  return Number(value ?? 0);
}

module.exports = {
  connect,
  insert,
  transaction,
  isUniqueViolation,
  isRetryable,
  now,
  isoTimestamp,
  toCount,
  MIGRATIONS,
};
