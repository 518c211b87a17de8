'use strict';
/**
 * PostgreSQL through pg: DATABASE_URL is postgresql://user:password@host:5432/name.
 * @module db/driver
 */
const pg = require('pg');

// DATE columns come back as the 'YYYY-MM-DD' text they hold, not as local midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** Whether inserts need RETURNING to give back the new id. */
const returning = true;

/**
 * @param {string} url
 * @param {number} [poolSize] connections at most
 * @returns {import('knex').Knex.Config}
 */
function knexConfig(url, poolSize = 10) {
  return { client: 'pg', connection: url, pool: { min: 0, max: poolSize } };
}

/**
 * The server URL (the maintenance database) and the database name of a URL.
 * @param {string} url
 */
function split(url) {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  parsed.pathname = '/postgres';
  return { server: parsed.toString(), name };
}

/**
 * Run one statement on the server's maintenance database.
 * @param {string} url
 * @param {(client: pg.Client, name: string) => Promise<T>} work
 * @template T
 */
async function onServer(url, work) {
  const { server, name } = split(url);
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

/**
 * Create the database if it is missing.
 * @param {string} url
 * @returns {Promise<boolean>} whether it was created
 */
function createDatabase(url) {
  return onServer(url, async (client, name) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8'`);
    return true;
  });
}

/**
 * Drop the database (and end its connections).
 * @param {string} url
 */
function dropDatabase(url) {
  return onServer(url, async (client, name) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/**
 * A URL for another database on the same server (tests).
 * @param {string} url
 * @param {string} name
 */
function siblingUrl(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Error codes of a server that refuses the user or the database: invalid user, wrong password, no such database (SQLSTATE). */
const refusals = ['28000', '28P01', '3D000'];

module.exports = {
  returning,
  knexConfig,
  createDatabase,
  dropDatabase,
  siblingUrl,
  refusals,
  server: true,
};
