'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const { after, before, describe, it } = require('./suites');

const {
  RateLimiter,
  RETRY_AFTER_FAILURE_MS,
  bearerToken,
  clientAddress,
  trustedNetworks,
} = require('../src/http/ratelimit');
const { REDIS_URL, UNREACHABLE, redisSkipReason, warnings } = require('./redis-support');
const {
  freshDatabase,
  signUp,
  skipReason,
  startApp,
  startCluster,
  testSettings,
} = require('./support');

/** Settings of a limited app: its own keys in Redis, so that test runs count apart. */
function limited(extra = {}) {
  return {
    REDIS_URL,
    RATE_LIMIT_KEY_PREFIX: `test-${crypto.randomBytes(6).toString('hex')}`,
    ...extra,
  };
}

/** The documentation networks TEST-NET-2 and -3: 508 client addresses. */
const CLIENTS = ['198.51.100', '203.0.113'].flatMap((net) =>
  Array.from({ length: 254 }, (_, i) => `${net}.${i + 1}`),
);
let lastClient = crypto.randomInt(0, CLIENTS.length);

/**
 * A client address of its own: the next one, not a random pick (two requests of a suite
 * on one app, and its counts, must not share an address by chance).
 */
function address() {
  lastClient = (lastClient + 1) % CLIENTS.length;
  return CLIENTS[lastClient];
}

describe('client addresses and tokens', () => {
  const local = trustedNetworks('127.0.0.1');

  it('reads X-Forwarded-For only from a trusted proxy', () => {
    assert.equal(clientAddress('127.0.0.1', '198.51.100.7', local), '198.51.100.7');
    assert.equal(clientAddress('::ffff:127.0.0.1', '198.51.100.7', local), '198.51.100.7');
    assert.equal(clientAddress('198.51.100.9', '198.51.100.7', local), '198.51.100.9');
    assert.equal(clientAddress('127.0.0.1', undefined, local), '127.0.0.1');
    assert.equal(clientAddress(undefined, '198.51.100.7', local), 'unknown');
  });

  it('walks back past trusted proxies, and stops at a hop that is not an address', () => {
    const proxies = trustedNetworks('127.0.0.1, 10.0.0.0/8');
    const chain = '198.51.100.7, 198.51.100.8, 10.1.2.3';
    assert.equal(clientAddress('127.0.0.1', chain, proxies), '198.51.100.8');
    assert.equal(clientAddress('127.0.0.1', 'spoofed, 10.1.2.3', proxies), '10.1.2.3');
    assert.equal(clientAddress('127.0.0.1', '10.0.0.1, 10.0.0.2', proxies), '10.0.0.1');
  });

  it('trusts every peer with *, a Unix socket included', () => {
    const any = trustedNetworks('*');
    assert.equal(clientAddress('198.51.100.9', '198.51.100.7', any), '198.51.100.7');
    assert.equal(clientAddress('2001:db8::1', '2001:db8::2', any), '2001:db8::2');
    assert.equal(clientAddress(undefined, '198.51.100.7', any), '198.51.100.7');
    assert.equal(clientAddress(undefined, '198.51.100.7', local), 'unknown');
  });

  it('refuses a setting that is not an address or a network', () => {
    assert.throws(() => trustedNetworks('proxy.example'), /FORWARDED_ALLOW_IPS/);
    assert.throws(() => trustedNetworks('10.0.0.0/33'), /FORWARDED_ALLOW_IPS/);
    assert.ok(trustedNetworks('::1, 2001:db8::/32,').list.check('2001:db8::5', 'ipv6'));
  });

  it('reads a bearer token, and nothing else', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('bearer  abc '), 'abc');
    assert.equal(bearerToken('Basic abc'), null);
    assert.equal(bearerToken('Bearer '), null);
    assert.equal(bearerToken(undefined), null);
  });

  it('reads its settings, with their defaults', () => {
    const limits = testSettings('sqlite:///x.db').features.rateLimits;
    assert.deepEqual(
      { ...limits },
      { redisUrl: '', perAccount: 600, keyPrefix: 'ratelimit', trustedProxies: '127.0.0.1' },
    );
    const set = testSettings('sqlite:///x.db', limited({ RATE_LIMIT_ACCOUNT_PER_MINUTE: '7' }));
    assert.equal(set.features.rateLimits.perAccount, 7);
    assert.equal(set.features.rateLimits.redisUrl, REDIS_URL);
  });
});

describe('rate limits while Redis cannot be reached', () => {
  it('lets requests through, warns once, and asks Redis again 5 s later', async () => {
    let now = 0;
    const logger = warnings();
    const limits = {
      redisUrl: UNREACHABLE,
      perClient: 1,
      perAccount: 1,
      trustedProxies: '127.0.0.1',
      keyPrefix: '',
    };
    const limiter = new RateLimiter(limits, logger, () => now);
    const started = Date.now();
    assert.equal(await limiter.check('198.51.100.7'), null);
    assert.equal(await limiter.check('198.51.100.7', '5'), null);
    assert.ok(Date.now() - started < 2000, 'a request waited for Redis');
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0], new RegExp(`in process ${process.pid}: Redis cannot be reached`));
    now += RETRY_AFTER_FAILURE_MS;
    assert.equal(await limiter.check('198.51.100.7'), null);
    assert.equal(logger.lines.length, 2);
    limiter.close();
  });

  it('answers 200, never a 5xx, and logs one JSON warning', { skip: skipReason() }, async () => {
    const ctx = await startApp(limited({ REDIS_URL: UNREACHABLE, RATE_LIMIT_PER_MINUTE: '1' }));
    try {
      for (let i = 0; i < 3; i += 1) await ctx.http().get('/openapi.json').expect(200);
      const warned = ctx.logLines.filter((line) => line.includes('Redis cannot be reached'));
      assert.equal(warned.length, 1);
      assert.equal(JSON.parse(warned[0]).level, 'warn');
      assert.match(warned[0], /in process \d+/);
    } finally {
      ctx.app.locals.rateLimiter.close();
      await ctx.close();
    }
  });

  it('is off without REDIS_URL', { skip: skipReason() }, async () => {
    const ctx = await startApp({ RATE_LIMIT_PER_MINUTE: '1' });
    try {
      const response = await ctx.http().get('/openapi.json').expect(200);
      assert.equal(response.headers['ratelimit-limit'], undefined);
      await ctx.http().get('/openapi.json').expect(200);
      assert.equal(await ctx.app.locals.rateLimiter.check('198.51.100.7'), null);
    } finally {
      await ctx.close();
    }
  });
});

describe('rate limits in Redis', { skip: redisSkipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp(
      limited({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_ACCOUNT_PER_MINUTE: '3' }),
    );
  });
  after(async () => {
    ctx.app.locals.rateLimiter.close();
    await ctx.close();
  });

  it('counts a client, tells the limit, and refuses past it with 429', async () => {
    const client = address();
    for (const remaining of ['2', '1', '0']) {
      const response = await ctx.http().get('/openapi.json').set('X-Forwarded-For', client);
      assert.equal(response.status, 200);
      assert.equal(response.headers['ratelimit-limit'], '3');
      assert.equal(response.headers['ratelimit-remaining'], remaining);
      assert.ok(Number(response.headers['ratelimit-reset']) >= 1);
      assert.ok(Number(response.headers['ratelimit-reset']) <= 60);
      assert.equal(response.headers['retry-after'], undefined);
    }
    const refused = await ctx.http().get('/openapi.json').set('X-Forwarded-For', client);
    assert.equal(refused.status, 429);
    assert.match(refused.headers['content-type'], /^application\/json/);
    assert.equal(refused.headers['ratelimit-remaining'], '0');
    assert.match(refused.headers['retry-after'], /^\d+$/);
    assert.deepEqual(refused.body, {
      detail: `Too many requests: try again in ${refused.headers['retry-after']} s`,
    });
    // Another client, the probes and CORS preflights go on.
    await ctx.http().get('/openapi.json').set('X-Forwarded-For', address()).expect(200);
    for (const probe of ['/health', '/ready']) {
      const response = await ctx.http().get(probe).set('X-Forwarded-For', client);
      assert.equal(response.status, 200);
      assert.equal(response.headers['ratelimit-limit'], undefined);
    }
    const preflight = await ctx.http().options('/openapi.json').set('X-Forwarded-For', client);
    assert.notEqual(preflight.status, 429);
  });

  it('counts an account with a valid token from any address', async () => {
    const account = await signUp(ctx.app);
    // signUp read /users/me with the token once: that request counted.
    const first = await ctx
      .http()
      .get('/users/me')
      .set(account.headers)
      .set('X-Forwarded-For', address());
    assert.equal(first.status, 200);
    assert.equal(first.headers['ratelimit-remaining'], '1');
    await ctx.http().get('/users/me').set(account.headers).set('X-Forwarded-For', address());
    const refused = await ctx
      .http()
      .get('/users/me')
      .set(account.headers)
      .set('X-Forwarded-For', address());
    assert.equal(refused.status, 429);
    // A token whose signature does not hold is no account: only its client counts.
    const forged = { Authorization: `${account.headers.Authorization}x` };
    const other = await ctx.http().get('/users/me').set(forged).set('X-Forwarded-For', address());
    assert.equal(other.status, 401);
    assert.equal(other.headers['ratelimit-remaining'], '2');
  });

  it('ignores X-Forwarded-For from a peer that is no trusted proxy', async () => {
    const untrusted = await startApp(
      limited({ RATE_LIMIT_PER_MINUTE: '2', FORWARDED_ALLOW_IPS: '192.0.2.1' }),
    );
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await untrusted
          .http()
          .get('/openapi.json')
          .set('X-Forwarded-For', address());
        statuses.push(response.status);
      }
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      untrusted.app.locals.rateLimiter.close();
      await untrusted.close();
    }
  });

  it('opens another connection when Redis closed its own', async () => {
    const limiter = ctx.app.locals.rateLimiter;
    assert.ok(await limiter.check(address()));
    const closed = limiter.redis.client;
    assert.ok(closed);
    // Once the connection has ended (the limiter's own 'end' listener came first), not
    // after a guessed delay: a loaded machine took more than 50 ms.
    const ended = new Promise((resolve) => closed.once('end', resolve));
    closed.disconnect();
    await ended;
    assert.ok(await limiter.check(address()));
  });
});

/**
 * GET on a new connection of its own, so that the cluster hands them to its workers in turn.
 * @param {number} port
 * @param {string} client its X-Forwarded-For
 * @returns {Promise<number>}
 */
function get(port, client) {
  return new Promise((resolve, reject) => {
    const headers = { 'X-Forwarded-For': client, Connection: 'close' };
    http
      .get({ host: '127.0.0.1', port, path: '/openapi.json', agent: false, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode || 0));
      })
      .on('error', reject);
  });
}

describe('rate limits over the workers of node:cluster', { skip: redisSkipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof freshDatabase>>} */
  let database;
  /** @type {Awaited<ReturnType<typeof startCluster>>} */
  let server;
  /** @type {number} */
  let port;
  const LIMIT = 20;

  before(async () => {
    database = await freshDatabase();
    server = await startCluster(database.url, limited({ RATE_LIMIT_PER_MINUTE: String(LIMIT) }));
    port = server.port;
  });

  after(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('refuses exactly one of N+1 requests at once', async () => {
    const client = address();
    const statuses = await Promise.all(Array.from({ length: LIMIT + 1 }, () => get(port, client)));
    assert.equal(statuses.filter((status) => status === 429).length, 1, statuses.join(' '));
    assert.equal(statuses.filter((status) => status === 200).length, LIMIT, statuses.join(' '));
  });
});
