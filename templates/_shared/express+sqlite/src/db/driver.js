'use strict';
/**
 * SQLite through better-sqlite3: DATABASE_URL is sqlite:///relative/path.db or
 * sqlite:////absolute/path.db, as in SQLAlchemy.
 * @module db/driver
 */
const fs = require('node:fs');
const path = require('node:path');

const PREFIX = 'sqlite:///';

/** Whether inserts need RETURNING to give back the new id. */
const returning = false;

/**
 * The file a sqlite URL names.
 * @param {string} url
 */
function filename(url) {
  if (!url.startsWith(PREFIX)) throw new Error(`not a sqlite URL: ${url.split('://')[0]}://...`);
  const file = url.slice(PREFIX.length);
  return file === ':memory:' ? file : path.resolve(file);
}

/**
 * knex settings for a sqlite URL: foreign keys on, WAL, and a busy timeout so that
 * several worker processes can write. One connection: the driver is synchronous, so a
 * second one in the same process would only wait on the first one's locks. It closes
 * once idle for a moment (opening the file again costs microseconds): requests then
 * work on the file at DATABASE_URL, and one replaced (a backup restored) or gone is
 * seen, where a handle kept open would go on with the old file until a restart.
 * @param {string} url
 * @param {number} [_poolSize] the pool size of a server database: ignored here
 * @returns {import('knex').Knex.Config}
 */
function knexConfig(url, _poolSize) {
  return {
    client: 'better-sqlite3',
    connection: { filename: filename(url) },
    useNullAsDefault: true,
    pool: {
      min: 0,
      max: 1,
      idleTimeoutMillis: 100,
      reapIntervalMillis: 100,
      /** @type {(connection: any, done: (error: unknown, connection: any) => void) => void} */
      afterCreate(connection, done) {
        connection.pragma('busy_timeout = 10000');
        connection.pragma('journal_mode = WAL');
        connection.pragma('foreign_keys = ON');
        done(null, connection);
      },
    },
  };
}

/**
 * Create the database file's folder; the file itself appears on first use.
 * @param {string} url
 * @returns {Promise<boolean>} whether anything was created
 */
async function createDatabase(url) {
  const file = filename(url);
  if (file === ':memory:' || fs.existsSync(file)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return true;
}

/**
 * Delete the database file and its journal files.
 * @param {string} url
 */
async function dropDatabase(url) {
  const file = filename(url);
  if (file === ':memory:') return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

/**
 * A URL for a fresh database named `name` beside the given one (tests).
 * @param {string} url
 * @param {string} name
 */
function siblingUrl(url, name) {
  return `${PREFIX}${path.join(path.dirname(filename(url)), `${name}.db`)}`;
}

module.exports = { returning, knexConfig, createDatabase, dropDatabase, siblingUrl, server: false };
