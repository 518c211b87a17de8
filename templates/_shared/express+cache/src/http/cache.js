'use strict';
/**
 * Answers of hot reads kept in Redis, shared by every worker process and replica.
 *
 * A cached route (http/cache-rules.js) answers 200s from Redis while nothing it shows
 * changed. Its key is `<CACHE_KEY_PREFIX>:<namespace>:<generation>:<sha256>`, the
 * sha256 of its path, its query string (sorted) and the caller's scope: `public` where
 * every caller gets the same answer, else the signed-in user's id and role (`anonymous`
 * without one), so that nobody is ever answered with what another may see. A write
 * that changes a namespace (http/cache-rules.js) increments its generation
 * (`<prefix>:gen:<namespace>`) once it is committed, before it answers: the next read
 * makes a new key and misses. Entries expire after CACHE_TTL_SECONDS, which bounds how
 * stale an answer may be if an increment fails.
 *
 * Answers carry X-Cache: hit, miss, or bypass while Redis cannot be reached (then the
 * route answers from the database, a warning is logged once, and Redis is left alone a
 * while: the client of core/redis.js). An empty REDIS_URL turns the cache off.
 * @module http/cache
 */
const crypto = require('node:crypto');

const { FailOpenRedis, describe } = require('../core/redis');

/**
 * A cached route: the namespace its answers depend on, and whose scope they have.
 * @typedef {object} ReadRule
 * @property {string} namespace
 * @property {'public' | 'viewer'} scope 'public': the same answer for every caller allowed
 *   in; 'viewer': the answer depends on the caller (their id and role are in the key)
 */

/**
 * @typedef {object} CacheSettings
 * @property {string} redisUrl empty: no cache
 * @property {number} ttlSeconds
 * @property {string} keyPrefix
 */

/**
 * The scope of a caller: `public`, `anonymous`, or `user:<id>:<role>`.
 * @param {ReadRule['scope']} scope
 * @param {{id: number, role: string} | null | undefined} user
 */
function scopeOf(scope, user) {
  if (scope === 'public') return 'public';
  return user ? `user:${user.id}:${user.role}` : 'anonymous';
}

/**
 * The digest of an answer's identity: path, sorted query string, scope.
 * @param {string} url the request's path and query string
 * @param {string} scope
 */
function digest(url, scope) {
  const [path, query = ''] = url.split(/\?(.*)/s);
  const params = new URLSearchParams(query);
  params.sort();
  return crypto.createHash('sha256').update(`${path}?${params}\n${scope}`).digest('hex');
}

/** The cache of one app; it holds the connection to Redis. */
class ResponseCache {
  /**
   * @param {CacheSettings} settings
   * @param {import('../core/redis').Warner} logger
   * @param {() => number} [clock] milliseconds
   */
  constructor(settings, logger, clock) {
    this.settings = settings;
    this.logger = logger;
    this.redis = new FailOpenRedis(settings.redisUrl, logger, 'the cache is', clock);
  }

  /** Whether there is a cache at all (REDIS_URL is set). */
  get enabled() {
    return this.redis.enabled;
  }

  get prefix() {
    return this.settings.keyPrefix || 'cache';
  }

  /**
   * The key of a namespace's generation counter.
   * @param {string} namespace
   */
  generationKey(namespace) {
    return `${this.prefix}:gen:${namespace}`;
  }

  /**
   * Look an answer up: its body on a hit, the key to store it under on a miss; null when
   * Redis cannot be asked (bypass).
   * @param {string} namespace
   * @param {string} hash
   * @returns {Promise<{key: string, body: string | null} | null>}
   */
  async lookup(namespace, hash) {
    const found = await this.redis.run(async (redis) => {
      const generation = (await redis.get(this.generationKey(namespace))) ?? '0';
      const key = `${this.prefix}:${namespace}:${generation}:${hash}`;
      return { key, body: await redis.get(key) };
    });
    return found && found.value;
  }

  /**
   * Keep an answer for CACHE_TTL_SECONDS.
   * @param {string} key
   * @param {string} body
   */
  async store(key, body) {
    await this.redis.run((redis) => redis.set(key, body, 'EX', this.settings.ttlSeconds));
  }

  /**
   * Start new generations of these namespaces: what was cached of them is no longer read.
   * A failure is logged; cached answers then live until they expire.
   * @param {readonly string[]} namespaces
   */
  async invalidate(namespaces) {
    if (!this.enabled) return;
    /** @type {unknown} */
    let failure = 'Redis is left alone after a failure';
    const done = await this.redis.run(async (redis) => {
      const replies = await redis
        .multi(namespaces.map((namespace) => ['incr', this.generationKey(namespace)]))
        .exec();
      const failed = (replies || []).find(([error]) => error);
      if (!replies || failed) {
        failure = failed ? failed[0] : 'the transaction was discarded';
        return false;
      }
      return true;
    });
    if (done && done.value) return;
    this.logger.warn(
      `the cache of ${namespaces.join(', ')} was not invalidated in process ${process.pid} ` +
        `(${describe(failure)}): its answers may be stale for up to ` +
        `${this.settings.ttlSeconds} s`,
    );
  }

  /** Close the connection to Redis. */
  close() {
    this.redis.close();
  }
}

/**
 * The app's cache, made by features/cache.js.
 * @param {import('express').Request} req
 * @returns {ResponseCache}
 */
function cacheOf(req) {
  return req.app.locals.responseCache;
}

/**
 * A route handler whose 200 answers come from the cache while they hold.
 * @param {ReadRule} rule
 * @param {import('./registry').Handler} handler
 * @returns {import('./registry').Handler}
 */
function cached(rule, handler) {
  return async (context) => {
    const { req, res, user } = context;
    const cache = cacheOf(req);
    if (!cache.enabled) return handler(context);
    const found = await cache.lookup(
      rule.namespace,
      digest(req.originalUrl, scopeOf(rule.scope, user)),
    );
    if (!found) {
      res.set('X-Cache', 'bypass');
      return handler(context);
    }
    if (found.body !== null) {
      res.set('X-Cache', 'hit').status(200).type('application/json').send(found.body);
      return undefined;
    }
    res.set('X-Cache', 'miss');
    // The answer as the handler writes it (some send their own JSON), held until it is kept.
    /** @type {unknown} */
    let sent;
    const { send } = res;
    res.send = (body) => {
      sent = body;
      return res;
    };
    let result;
    try {
      result = await handler(context);
    } catch (error) {
      res.removeHeader('X-Cache');
      throw error;
    } finally {
      res.send = send;
    }
    if (sent === undefined) {
      if (res.statusCode !== 200) return result;
      res.type('application/json');
      sent = JSON.stringify(result);
    }
    if (res.statusCode === 200 && typeof sent === 'string') await cache.store(found.key, sent);
    res.send(sent);
    return undefined;
  };
}

/**
 * A route handler that, once its write is done, invalidates the namespaces it changes.
 * @param {readonly string[]} namespaces
 * @param {import('./registry').Handler} handler
 * @returns {import('./registry').Handler}
 */
function invalidating(namespaces, handler) {
  return async (context) => {
    const result = await handler(context);
    await cacheOf(context.req).invalidate(namespaces);
    return result;
  };
}

module.exports = { ResponseCache, cached, digest, invalidating, scopeOf };
