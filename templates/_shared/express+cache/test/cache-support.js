'use strict';
/**
 * What the cache tests share: settings with keys of their own in Redis, and requests to
 * the real server (startCluster), each on a new connection so that both workers answer.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const request = require('supertest');

const { openRedis } = require('../src/core/redis');
const { connect } = require('../src/db');
const { REDIS_URL, redisSkipReason } = require('./redis-support');
const { after, before, describe } = require('./suites');
const { freshDatabase, makeAdmin, startApp, startCluster, testSettings } = require('./support');

/**
 * Settings of a cached app: its own key prefix, so that test runs keep apart.
 * @param {Record<string, string>} [extra]
 */
function cachedSettings(extra = {}) {
  return {
    REDIS_URL,
    // With the feature ratelimit too, the same Redis would count: limits out of reach.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_ACCOUNT_PER_MINUTE: '1000000',
    CACHE_KEY_PREFIX: `test-cache-${crypto.randomBytes(6).toString('hex')}`,
    ...extra,
  };
}

/**
 * A request to the server of `port`, on a connection of its own.
 * @param {number} port
 * @param {'get' | 'post' | 'patch' | 'delete'} method
 * @param {string} path
 * @param {{Authorization: string}} [headers]
 */
function onServer(port, method, path, headers) {
  const call = request(`http://127.0.0.1:${port}`)[method](path).set('Connection', 'close');
  return headers ? call.set(headers) : call;
}

/**
 * A GET on the server of `port` that must answer 200.
 * @param {number} port
 * @param {string} path
 * @param {{Authorization: string}} [headers]
 */
async function readOn(port, path, headers) {
  const response = await onServer(port, 'get', path, headers);
  assert.equal(response.status, 200, response.text);
  return response;
}

/**
 * Remove the keys a test left under its prefix (the generation counters never expire).
 * @param {string} prefix
 */
async function dropKeys(prefix) {
  const redis = openRedis(REDIS_URL);
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/**
 * The app with the cache (startApp with cachedSettings); its close() also removes the
 * keys it left in Redis.
 * @param {Record<string, string>} [extra] more settings
 */
async function startCachedApp(extra) {
  const ctx = await startApp(cachedSettings(extra));
  return {
    ...ctx,
    async close() {
      await ctx.close();
      await dropKeys(ctx.settings.features.cache.keyPrefix);
    },
  };
}

/**
 * The real server with two workers and the cache, on a migrated database of its own with
 * an admin (test/accounts.js' makeAdmin, its requests to that server); `stop()` ends it
 * and removes what it left.
 */
async function startCachedCluster() {
  const settings = cachedSettings();
  const database = await freshDatabase();
  /** @type {Awaited<ReturnType<typeof startCluster>> | undefined} */
  let server;
  const stop = async () => {
    await server?.stop();
    await database.drop();
    await dropKeys(settings.CACHE_KEY_PREFIX);
  };
  try {
    const db = connect(database.url);
    try {
      await db.migrate.latest();
      server = await startCluster(database.url, settings);
      const app = `http://127.0.0.1:${server.port}`;
      const admin = await makeAdmin({ app, db, settings: testSettings(database.url) });
      return { port: server.port, admin: admin.headers, stop };
    } finally {
      await db.destroy();
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A suite on the real server with two workers and the cache (startCachedCluster), skipped
 * without Redis: `body` declares its tests, and reads the running server from `server()`.
 * @param {string} name
 * @param {(server: () => Awaited<ReturnType<typeof startCachedCluster>>) => void} body
 */
function describeCachedCluster(name, body) {
  describe(name, { skip: redisSkipReason() }, () => {
    /** @type {Awaited<ReturnType<typeof startCachedCluster>> | undefined} */
    let running;
    before(async () => {
      running = await startCachedCluster();
    });
    after(() => running?.stop());
    body(() => {
      if (!running) throw new Error('the cached cluster is not running');
      return running;
    });
  });
}

/**
 * The X-Cache header of `count` reads in a row.
 * @param {() => Promise<import('supertest').Response>} read
 * @param {number} [count]
 */
async function cacheStates(read, count = 4) {
  const states = [];
  for (let i = 0; i < count; i += 1) states.push((await read()).headers['x-cache']);
  return states;
}

module.exports = {
  cacheStates,
  cachedSettings,
  describeCachedCluster,
  dropKeys,
  onServer,
  readOn,
  startCachedApp,
  startCachedCluster,
};
