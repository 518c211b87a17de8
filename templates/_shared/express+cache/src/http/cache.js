'use strict';
/**
 * Answers of hot reads kept in Redis, shared by every worker process and replica.
 *
 * A cached route (http/cache-rules.js) answers 200s from Redis while nothing it shows
 * changed: the value is the exact JSON body of an earlier 200. Its key is
 * `<CACHE_KEY_PREFIX>:<namespaces>:<generations>:<sha256>`, the sha256 of its path, its
 * query string (sorted) and the caller: `anonymous` without a token (one entry shared by
 * all), else the signed-in user's id and role, so that nobody is ever answered with what
 * another may see. The cache runs once the route has authenticated the caller and
 * validated the request, so an invalid token or query is never answered from it.
 *
 * Each namespace has a generation counter (`<prefix>:gen:<namespace>`). A read gets the
 * generations it depends on, then the entry; a write that succeeded (committed, 2xx)
 * increments the generations of what it changes before it answers, so the next read
 * makes a new key and misses: a reader that read the old generation before the
 * increment stores under it, and it is never read again. Entries expire after
 * CACHE_TTL_SECONDS, which bounds how stale an answer may be if an increment fails.
 *
 * Answers carry X-Cache: hit, miss, or bypass while Redis cannot be reached (then the
 * route answers from the database, a warning is logged once, and Redis is left alone a
 * while: the client of core/redis.js). An empty REDIS_URL turns the cache off.
 * @module http/cache
 */
const crypto = require('node:crypto');

const { FailOpenRedis } = require('../core/redis');

/**
 * @typedef {object} CacheSettings
 * @property {string} redisUrl empty: no cache
 * @property {number} ttlSeconds
 * @property {string} keyPrefix
 */

/**
 * The caller an answer is kept for: `anonymous`, or `user:<id>:<role>`.
 * @param {{id: number, role: string} | null | undefined} user
 */
function scopeOf(user) {
  return user ? `user:${user.id}:${user.role}` : 'anonymous';
}

/**
 * The query string with its parameters sorted: ?b=2&a=1 and ?a=1&b=2 share an entry.
 * @param {string} query
 */
function canonicalQuery(query) {
  const pairs = [...new URLSearchParams(query)];
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return new URLSearchParams(pairs).toString();
}

/**
 * The digest of an answer's identity: path, sorted query string, caller.
 * @param {string} url the request's path and query string
 * @param {string} scope
 */
function digest(url, scope) {
  const [path, query = ''] = url.split(/\?(.*)/s);
  return crypto
    .createHash('sha256')
    .update(`${path}\n${canonicalQuery(query)}\n${scope}`)
    .digest('hex');
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
    this.prefix = settings.keyPrefix || 'cache';
    this.redis = new FailOpenRedis(settings.redisUrl, logger, 'the cache is bypassed', clock);
  }

  /** Whether there is a cache at all (REDIS_URL is set). */
  get enabled() {
    return this.redis.enabled;
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
   * @param {readonly string[]} namespaces
   * @param {string} hash
   * @returns {Promise<{key: string, body: string | null} | null>}
   */
  async lookup(namespaces, hash) {
    const found = await this.redis.run(async (redis) => {
      const generations = await redis.mget(namespaces.map((ns) => this.generationKey(ns)));
      const generation = generations.map((value) => value ?? '0').join('.');
      const key = `${this.prefix}:${namespaces.join('+')}:${generation}:${hash}`;
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
   * @param {string} write what changed them, for the log ("PATCH /posts/x")
   */
  async invalidate(namespaces, write) {
    if (!this.enabled) return;
    const done = await this.redis.run((redis) =>
      redis.multi(namespaces.map((namespace) => ['incr', this.generationKey(namespace)])).exec(),
    );
    if (done && done.value && done.value.every(([error]) => !error)) return;
    this.logger.warn(
      `the cache missed the write ${write}: ${namespaces.join(', ')} may be stale for up ` +
        `to ${this.settings.ttlSeconds} s`,
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
 * @param {readonly string[]} namespaces what its answers depend on
 * @param {import('./registry').Handler} handler
 * @returns {import('./registry').Handler}
 */
function cached(namespaces, handler) {
  return async (context) => {
    const { req, res, user } = context;
    const cache = cacheOf(req);
    if (!cache.enabled) return handler(context);
    const found = await cache.lookup(namespaces, digest(req.originalUrl, scopeOf(user)));
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
    const { req } = context;
    await cacheOf(req).invalidate(namespaces, `${req.method} ${req.path}`);
    return result;
  };
}

module.exports = { ResponseCache, cached, canonicalQuery, digest, invalidating, scopeOf };
