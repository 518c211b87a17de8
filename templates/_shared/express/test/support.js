'use strict';
/**
 * What the tests share: a fresh, migrated database per test file (a temporary SQLite
 * file, or a uniquely named database on the server of TEST_DATABASE_URL, dropped
 * afterwards), the app on it, the accounts of test/accounts.js, and the real server with
 * two workers for the tests that need node:cluster.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const request = require('supertest');

const { buildApp } = require('../src/app');
const { loadSettings } = require('../src/core/config');
const { createLogger } = require('../src/core/logs');
const features = require('../src/features');
const { connect } = require('../src/db');
const driver = require('../src/db/driver');
const accounts = require('./accounts');
const { skipOrFail } = require('./needs');
const overrides = require('./settings-overrides');

function serverUrl() {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
}

/**
 * Why the tests cannot run here (no database server), or false. Under CI=true a
 * missing server is an error, not a skip.
 * @returns {string | false}
 */
function skipReason() {
  if (!driver.server || serverUrl()) return false;
  return skipOrFail(
    'set TEST_DATABASE_URL to a database server the tests may use, or start a Docker ' +
      'engine (npm test then runs one from compose.test.yaml)',
  );
}

/**
 * A new database of its own, for one test file.
 * @returns {Promise<{url: string, drop: () => Promise<void>}>}
 */
async function freshDatabase() {
  const name = `test_${crypto.randomBytes(6).toString('hex')}`;
  if (driver.server) {
    const url = driver.siblingUrl(serverUrl(), name);
    await driver.createDatabase(url);
    return { url, drop: () => driver.dropDatabase(url) };
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'test-db-'));
  const url = `sqlite:///${path.join(folder, `${name}.db`)}`;
  return { url, drop: async () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/**
 * Settings for tests: a fixed secret, a cheap argon2id cost, no rate limit.
 * @param {string} databaseUrl
 * @param {Record<string, string>} [extra]
 */
function testSettings(databaseUrl, extra = {}) {
  return loadSettings({
    ENVIRONMENT: 'test',
    SECRET_KEY: 'test-secret-key-that-is-long-enough-for-hs256',
    DATABASE_URL: databaseUrl,
    PASSWORD_HASH_TIME_COST: '1',
    PASSWORD_HASH_MEMORY_KIB: '8192',
    RATE_LIMIT_PER_MINUTE: '0',
    ...overrides,
    ...extra,
  });
}

/**
 * The service's logger, writing its lines into `lines` for the test to read.
 * @param {Partial<import('../src/core/config').Settings>} [settings] LOG_* settings
 */
function collectingLogger(settings = {}) {
  /** @type {string[]} */
  const lines = [];
  const logger = createLogger(
    { logLevel: 'INFO', logFormat: 'json', accessLog: true, ...settings },
    { write: (line) => lines.push(line) },
  );
  return { logger, lines };
}

/**
 * A migrated database and the app on it; call close() in after().
 * @param {Record<string, string>} [extra] more settings
 */
async function startApp(extra) {
  const database = await freshDatabase();
  const settings = testSettings(database.url, extra);
  const db = connect(database.url);
  await db.migrate.latest();
  // The log lines, kept for the tests that read them (and off the test run's output).
  /** @type {string[]} */
  const logLines = [];
  const app = buildApp({ db, settings, logDestination: { write: (line) => logLines.push(line) } });
  return {
    app,
    db,
    settings,
    logLines,
    http: () => request(app),
    async close() {
      // What the features opened (a connection to Redis) would keep the tests running.
      features.close(app);
      await db.destroy();
      await database.drop();
    },
  };
}

/** @typedef {import('./accounts').Account} Account */

/**
 * Assert the common error body: {"detail"}, plus "errors" for 422; return the fields.
 * @param {import('supertest').Response} response
 * @param {number} status
 */
function errorFields(response, status) {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${response.text}`);
  }
  if (!/^application\/json/.test(response.headers['content-type'] || '')) {
    throw new Error(`not JSON: ${response.headers['content-type']}`);
  }
  if (typeof response.body.detail !== 'string' || !response.body.detail) {
    throw new Error(`no detail: ${response.text}`);
  }
  if (status !== 422) return new Set();
  return new Set(response.body.errors.map((/** @type {{field: string}} */ e) => e.field));
}

/**
 * Integers as a client may write them wrongly, as raw JSON text: a boolean, a float
 * literal (JSON.parse reads 1.0 as 1), a string, a number past 64 bits.
 */
const NOT_JSON_INTEGERS = ['true', '1.0', '"1"', '18446744073709551616'];

/**
 * The JSON text of `body` with the field at `path` ('amount', 'card.exp_month') written
 * as `raw`, exactly: rawJson({a: 1}, 'a', '1.0') === '{"a":1.0}'.
 * @param {Record<string, any>} body
 * @param {string} path
 * @param {string} raw
 */
function rawJson(body, path, raw) {
  const marker = '\u0000raw';
  const copy = structuredClone(body);
  const parts = path.split('.');
  let node = copy;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts[parts.length - 1]] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), raw);
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * The real server (`node src/server.js`) with two node:cluster workers on a free port of
 * 127.0.0.1, once both workers listen; `stop()` ends it with SIGTERM and waits for it.
 * @param {string} databaseUrl
 * @param {Record<string, string>} [extra] more of its environment
 * @returns {Promise<{port: number, stop: () => Promise<void>}>}
 */
async function startCluster(databaseUrl, extra = {}) {
  const port = /** @type {number} */ (await freePort());
  const server = spawn(process.execPath, [path.join('src', 'server.js')], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      ENVIRONMENT: 'test',
      SECRET_KEY: 'test-secret-key-that-is-long-enough-for-hs256',
      DATABASE_URL: databaseUrl,
      WEB_CONCURRENCY: '2',
      HOST: '127.0.0.1',
      PORT: String(port),
      ACCESS_LOG: '0',
      ...overrides,
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
  /** @type {Set<string>} */
  const listening = new Set();
  try {
    await new Promise((resolve, reject) => {
      server.on('exit', (code) => reject(new Error(`the server exited (${code})`)));
      const waited = setTimeout(() => reject(new Error('the workers did not listen')), 30_000);
      waited.unref();
      server.stdout?.setEncoding('utf8');
      server.stdout?.on('data', (chunk) => {
        for (const match of String(chunk).matchAll(/worker (\d+) listening/g))
          listening.add(match[1]);
        if (listening.size === 2) resolve(undefined);
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}

module.exports = {
  collectingLogger,
  serverUrl,
  NOT_JSON_INTEGERS,
  rawJson,
  skipReason,
  freshDatabase,
  testSettings,
  startApp,
  freePort,
  startCluster,
  errorFields,
  ...accounts,
};
