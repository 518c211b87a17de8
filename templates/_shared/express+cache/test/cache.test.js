'use strict';
const assert = require('node:assert/strict');
const net = require('node:net');
const { after, before, describe, it } = require('./suites');

const { Registry } = require('../src/http/registry');
const { ResponseCache, canonicalQuery, digest, scopeOf } = require('../src/http/cache');
const rules = require('../src/http/cache-rules');
const routes = require('../src/routes');
const { REDIS_URL, UNREACHABLE, redisSkipReason, warnings } = require('./redis-support');
const { cachedSettings, dropKeys, startCachedApp } = require('./cache-support');
const { signUp, testSettings } = require('./support');

describe('cache keys and rules', () => {
  it('keys the path, the sorted query string and the caller', () => {
    assert.equal(canonicalQuery('b=2&a=1&a=0'), 'a=0&a=1&b=2');
    assert.equal(digest('/items?b=2&a=1', 'anonymous'), digest('/items?a=1&b=2', 'anonymous'));
    assert.match(digest('/items', 'anonymous'), /^[0-9a-f]{64}$/);
    assert.notEqual(digest('/items?a=1', 'anonymous'), digest('/items?a=2', 'anonymous'));
    assert.notEqual(digest('/items', 'anonymous'), digest('/other', 'anonymous'));
    assert.notEqual(digest('/items', 'user:1:user'), digest('/items', 'user:2:user'));
    assert.notEqual(digest('/items', 'user:1:user'), digest('/items', 'anonymous'));
  });

  it('keeps answers per caller: by id and role, or anonymous', () => {
    assert.equal(scopeOf({ id: 3, role: 'admin' }), 'user:3:admin');
    assert.equal(scopeOf(null), 'anonymous');
  });

  it('names only routes that exist: reads as GETs, writes as what they change', () => {
    const registry = new Registry();
    for (const register of routes) register(registry);
    const gets = registry.routes.filter(({ spec }) => spec.method === 'GET');
    for (const path of Object.keys(rules.reads)) {
      assert.ok(
        gets.some(({ spec }) => spec.path === path),
        `GET ${path} is no route`,
      );
    }
    const writes = registry.routes.filter(({ spec }) => spec.method !== 'GET');
    for (const prefix of Object.keys(rules.writes)) {
      const under = writes.filter(({ spec }) => rules.changedBy(spec.path).length);
      assert.ok(
        under.some(({ spec }) => spec.path === prefix || spec.path.startsWith(`${prefix}/`)),
        `no write under ${prefix}`,
      );
    }
    assert.deepEqual(rules.changedBy('/no/such/path'), []);
  });

  it('reads its settings, with their defaults', () => {
    assert.deepEqual(
      { ...testSettings('sqlite:///x.db').features.cache },
      { redisUrl: '', ttlSeconds: 60, keyPrefix: 'cache' },
    );
    const set = testSettings('sqlite:///x.db', cachedSettings({ CACHE_TTL_SECONDS: '5' }));
    assert.equal(set.features.cache.ttlSeconds, 5);
    assert.equal(set.features.cache.redisUrl, REDIS_URL);
    assert.throws(() => testSettings('sqlite:///x.db', { CACHE_TTL_SECONDS: '0' }));
  });
});

describe('the cache while Redis cannot be reached', () => {
  it('answers nothing, warns once, logs a missed write, never waits long', async () => {
    const logger = warnings();
    const settings = { redisUrl: UNREACHABLE, ttlSeconds: 60, keyPrefix: 'x' };
    const cache = new ResponseCache(settings, logger);
    const started = Date.now();
    assert.equal(await cache.lookup(['items'], digest('/items', 'anonymous')), null);
    assert.equal(await cache.lookup(['items'], digest('/items', 'anonymous')), null);
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0], /the cache is bypassed for 5 s in process \d+: Redis cannot/);
    await cache.invalidate(['items', 'others'], 'POST /items');
    assert.equal(logger.lines.length, 2);
    assert.equal(
      logger.lines[1],
      'the cache missed the write POST /items: items, others may be stale for up to 60 s',
    );
    assert.ok(Date.now() - started < 2000, 'a request waited for Redis');
    cache.close();
  });

  it('is off without REDIS_URL', async () => {
    const logger = warnings();
    const cache = new ResponseCache({ redisUrl: '', ttlSeconds: 60, keyPrefix: '' }, logger);
    assert.equal(cache.enabled, false);
    assert.equal(await cache.lookup(['items'], 'x'), null);
    await cache.invalidate(['items'], 'POST /items');
    assert.deepEqual(logger.lines, []);
  });
});

/**
 * A TCP relay to Redis that the test can cut: every connection through it ends, and new
 * ones are refused.
 */
async function relayToRedis() {
  const { hostname, port } = new URL(REDIS_URL);
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port || 6379), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port: relayPort } = /** @type {net.AddressInfo} */ (server.address());
  return {
    url: `redis://127.0.0.1:${relayPort}/0`,
    cut() {
      if (server.listening) server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

describe('a cached route while Redis goes away', { skip: redisSkipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof relayToRedis>>} */
  let relay;
  /** @type {Awaited<ReturnType<typeof startCachedApp>>} */
  let ctx;
  before(async () => {
    relay = await relayToRedis();
    ctx = await startCachedApp({ REDIS_URL: relay.url });
  });
  after(async () => {
    relay.cut();
    await ctx.close();
  });

  it('misses, hits, then answers 200 with bypass and one warning', async () => {
    const [path] = Object.keys(rules.reads);
    const user = await signUp(ctx.app);
    const first = await ctx.http().get(path).set(user.headers);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers['x-cache'], 'miss');
    const second = await ctx.http().get(path).set(user.headers);
    assert.equal(second.headers['x-cache'], 'hit');
    assert.equal(second.text, first.text);
    relay.cut();
    for (let i = 0; i < 3; i += 1) {
      const started = Date.now();
      const response = await ctx.http().get(path).set(user.headers);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers['x-cache'], 'bypass');
      assert.deepEqual(response.body, first.body);
      assert.ok(Date.now() - started < 2000, 'a request waited for Redis');
    }
    // (The rate limits, when chosen too, warn of their own.)
    const warned = ctx.logLines.filter((line) => line.includes('the cache is bypassed'));
    assert.equal(warned.length, 1, warned.join('\n'));
    assert.match(warned[0], /Redis cannot be reached/);
    assert.equal(JSON.parse(warned[0]).level, 'warn');
    assert.match(warned[0], /the cache is bypassed for 5 s/);
  });
});

describe('the cache in Redis', { skip: redisSkipReason() }, () => {
  it('keeps answers for CACHE_TTL_SECONDS under generation keys', async () => {
    const settings = cachedSettings({ CACHE_TTL_SECONDS: '7' });
    const cache = new ResponseCache(testSettings('', settings).features.cache, warnings());
    try {
      const hash = digest('/items', 'anonymous');
      const missed = await cache.lookup(['items'], hash);
      assert.deepEqual(missed, { key: `${settings.CACHE_KEY_PREFIX}:items:0:${hash}`, body: null });
      await cache.store(/** @type {{key: string}} */ (missed).key, '{"a":1}');
      assert.deepEqual(await cache.lookup(['items'], hash), { ...missed, body: '{"a":1}' });
      const ttl = await cache.redis.run((redis) => redis.ttl(missed?.key || ''));
      assert.ok(ttl && ttl.value > 0 && ttl.value <= 7, String(ttl?.value));
      await cache.invalidate(['items'], 'POST /items');
      assert.deepEqual(await cache.lookup(['items'], hash), {
        key: `${settings.CACHE_KEY_PREFIX}:items:1:${hash}`,
        body: null,
      });
      assert.equal(
        (await cache.lookup(['items', 'other'], hash))?.key,
        `${settings.CACHE_KEY_PREFIX}:items+other:1.0:${hash}`,
      );
    } finally {
      cache.close();
      await dropKeys(settings.CACHE_KEY_PREFIX);
    }
  });
});
