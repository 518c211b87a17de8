'use strict';
/**
 * MySQL 8 or MariaDB 10.6+ through mysql2: DATABASE_URL is mysql://user:password@host:3306/name.
 * @module db/driver
 */
const mysql = require('mysql2/promise');

/** Whether inserts need RETURNING to give back the new id. */
const returning = false;

/**
 * Connection options of a URL: UTF-8 (utf8mb4), UTC, DATE columns as text.
 * @param {string} url
 * @param {boolean} [withDatabase]
 */
function options(url, withDatabase = true) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    ...(withDatabase ? { database: name(url) } : {}),
    charset: 'utf8mb4',
    timezone: 'Z',
    dateStrings: /** @type {['DATE']} */ (['DATE']),
    supportBigNumbers: true,
  };
}

/** @param {string} url */
function name(url) {
  const value = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(value)) throw new Error(`unsupported database name: ${value}`);
  return value;
}

/**
 * @param {string} url
 * @param {number} [poolSize] connections at most
 * @returns {import('knex').Knex.Config}
 */
function knexConfig(url, poolSize = 10) {
  return {
    client: 'mysql2',
    connection: options(url),
    pool: {
      min: 0,
      max: poolSize,
      // READ COMMITTED, as on PostgreSQL: a statement sees what others committed before
      // it, and a search locks no gaps (under REPEATABLE READ, writers that looked for
      // the same missing row deadlock on the gap when they insert it).
      afterCreate: (/** @type {any} */ connection, /** @type {Function} */ done) => {
        connection.query(
          'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
          (/** @type {Error | null} */ error) => done(error, connection),
        );
      },
    },
  };
}

/**
 * Create the database if it is missing.
 * @param {string} url
 * @returns {Promise<boolean>} whether it was created
 */
async function createDatabase(url) {
  const connection = await mysql.createConnection(options(url, false));
  try {
    const [rows] = await connection.query(
      'SELECT 1 FROM information_schema.schemata WHERE schema_name = ?',
      [name(url)],
    );
    if (Array.isArray(rows) && rows.length) return false;
    await connection.query(
      `CREATE DATABASE \`${name(url)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    return true;
  } finally {
    await connection.end();
  }
}

/**
 * Drop the database.
 * @param {string} url
 */
async function dropDatabase(url) {
  const connection = await mysql.createConnection(options(url, false));
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name(url)}\``);
  } finally {
    await connection.end();
  }
}

/**
 * A URL for another database on the same server (tests).
 * @param {string} url
 * @param {string} database
 */
function siblingUrl(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Error codes of a server that refuses the user or the database: access denied, no such database. */
const refusals = ['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR'];

module.exports = {
  returning,
  knexConfig,
  createDatabase,
  dropDatabase,
  siblingUrl,
  refusals,
  server: true,
};
