'use strict';
/**
 * Rate limits shared by every worker process and replica: the counters live in Redis.
 *
 * Each request but /health, /ready and CORS preflights counts against two fixed windows
 * of a minute, both in one Lua script (atomic: however many processes count at once,
 * request N+1 of a window is the first one refused):
 *
 * - its client's (`RATE_LIMIT_PER_MINUTE`): the peer's address, or, when the peer is a
 *   trusted proxy (`FORWARDED_ALLOW_IPS`), the nearest address of X-Forwarded-For that
 *   is not one; any other peer's header is ignored, so a client cannot choose its address;
 * - with a valid access token, its account's (`RATE_LIMIT_ACCOUNT_PER_MINUTE`): the
 *   token's subject, whichever address it comes from.
 *
 * A window starts with its first request. The answer tells the tighter of the two in
 * RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds), and a refused
 * request gets 429 with Retry-After. When Redis cannot be reached, requests go through
 * unlimited (fail open) and a warning is logged; Redis is asked again after
 * RETRY_AFTER_FAILURE_MS, so an outage costs no request more than a timeout. An empty
 * REDIS_URL turns the limits off.
 * @module http/ratelimit
 */
const net = require('node:net');
const Redis = require('ioredis').default;

const { decodeToken } = require('../core/security');

/** Never limited: the probes of the load balancer and the orchestrator. */
const UNLIMITED_PATHS = new Set(['/health', '/ready']);
/** Milliseconds without asking Redis after it failed to answer. */
const RETRY_AFTER_FAILURE_MS = 5000;
/** How long a request waits for Redis before it goes through unlimited. */
const REDIS_TIMEOUT_MS = 500;

// For each key: count this request, start the window on the first one, and return the
// count with the milliseconds left of the window.
const COUNT = `
local answers = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then
    redis.call('PEXPIRE', key, ARGV[1])
  end
  local left = redis.call('PTTL', key)
  if left < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    left = tonumber(ARGV[1])
  end
  answers[#answers + 1] = count
  answers[#answers + 1] = left
end
return answers
`;

/**
 * An address as net.BlockList reads it: an IPv4 address mapped into IPv6 (a dual-stack
 * socket's peer) as the IPv4 address it is.
 * @param {string} address
 */
function plain(address) {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** @typedef {{list: net.BlockList, any: boolean}} Trusted */

/**
 * The proxies of FORWARDED_ALLOW_IPS: comma-separated addresses or networks, `*` any.
 * @param {string} setting
 * @returns {Trusted}
 */
function trustedNetworks(setting) {
  const list = new net.BlockList();
  let any = false;
  for (const item of setting.split(',').map((part) => part.trim())) {
    if (item === '*') {
      any = true;
      list.addSubnet('0.0.0.0', 0, 'ipv4');
      list.addSubnet('::', 0, 'ipv6');
      continue;
    }
    if (!item) continue;
    const [address, bits] = item.split('/');
    const type = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
    const prefix = bits === undefined ? null : Number(bits);
    const widest = type === 'ipv4' ? 32 : 128;
    if (
      !type ||
      (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= widest))
    ) {
      throw new Error(`FORWARDED_ALLOW_IPS: ${item} is not an address or a network`);
    }
    if (prefix === null) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
    if (prefix === 0) any = true;
  }
  return { list, any };
}

/**
 * @param {string} address
 * @param {Trusted} trusted
 */
function isTrusted(address, trusted) {
  const ip = plain(address);
  // A peer without an address (a Unix socket's): trusted where any peer is ("*").
  if (!net.isIP(ip)) return trusted.any;
  return trusted.list.check(ip, net.isIPv4(ip) ? 'ipv4' : 'ipv6');
}

/**
 * The address a request's client is counted under: the peer's own, unless the peer is a
 * trusted proxy; then the addresses of X-Forwarded-For are read from the nearest one
 * back, and the first that is not a trusted proxy is the client's (one that is not an
 * address ends the walk there).
 * @param {string | undefined} peer
 * @param {string | undefined} forwardedFor
 * @param {Trusted} trusted
 */
function clientAddress(peer, forwardedFor, trusted) {
  let address = peer ? plain(peer) : 'unknown';
  if (!forwardedFor || !isTrusted(address, trusted)) return address;
  for (const part of forwardedFor.split(',').reverse()) {
    const hop = part.trim();
    if (!net.isIP(hop)) return address;
    address = hop;
    if (!isTrusted(hop, trusted)) return hop;
  }
  return address;
}

/**
 * The token of an `Authorization: Bearer <token>` header, else null.
 * @param {string | undefined} authorization
 */
function bearerToken(authorization) {
  const [scheme, ...rest] = (authorization || '').split(' ');
  const token = rest.join(' ').trim();
  return scheme.toLowerCase() === 'bearer' && token ? token : null;
}

/**
 * The account of a request: the subject of a valid access token, else null.
 * @param {string | undefined} authorization
 * @param {import('../core/config').Settings} settings
 * @returns {string | null}
 */
function accountOf(authorization, settings) {
  const token = bearerToken(authorization);
  if (token === null) return null;
  try {
    return String(decodeToken(token, 'access', settings).sub);
  } catch {
    return null;
  }
}

/**
 * What the limits say of one request.
 * @typedef {{allowed: boolean, limit: number, remaining: number, reset: number}} Verdict
 */

/**
 * RateLimit-*, and Retry-After on a refusal.
 * @param {Verdict} verdict
 * @returns {Record<string, string>}
 */
function headers(verdict) {
  /** @type {Record<string, string>} */
  const found = {
    'RateLimit-Limit': String(verdict.limit),
    'RateLimit-Remaining': String(verdict.remaining),
    'RateLimit-Reset': String(verdict.reset),
  };
  if (!verdict.allowed) found['Retry-After'] = String(verdict.reset);
  return found;
}

/**
 * @typedef {object} Limits
 * @property {string} redisUrl empty: no limits
 * @property {number} perClient
 * @property {number} perAccount
 * @property {string} trustedProxies
 * @property {string} keyPrefix
 * @property {number} [windowMs]
 */

/** Counts requests in Redis; one per app (it holds the connection). */
class RateLimiter {
  /**
   * @param {Limits} limits
   * @param {{warn: (message: string, fields?: Record<string, unknown>) => void}} logger
   * @param {() => number} [clock] milliseconds
   */
  constructor(limits, logger, clock = () => performance.now()) {
    this.limits = limits;
    this.trusted = trustedNetworks(limits.trustedProxies);
    this.logger = logger;
    this.clock = clock;
    this.pausedUntil = 0;
    /** @type {Promise<import('ioredis').Redis> | null} */
    this.opening = null;
    /** @type {import('ioredis').Redis | null} */
    this.client = null;
  }

  /** Whether there are limits at all (REDIS_URL is set). */
  get enabled() {
    return Boolean(this.limits.redisUrl);
  }

  /**
   * Whether a request counts: not the probes, nor a CORS preflight.
   * @param {string} method
   * @param {string} path
   */
  appliesTo(method, path) {
    return this.enabled && method !== 'OPTIONS' && !UNLIMITED_PATHS.has(path);
  }

  /**
   * The connection to Redis, opened once (requests that come meanwhile wait for it).
   * @returns {Promise<import('ioredis').Redis>}
   */
  connection() {
    if (!this.opening) {
      const client = new Redis(this.limits.redisUrl, {
        lazyConnect: true,
        // A request never waits in a queue for Redis, nor for retries: it goes on unlimited.
        enableOfflineQueue: false,
        enableReadyCheck: false,
        connectTimeout: REDIS_TIMEOUT_MS,
        commandTimeout: REDIS_TIMEOUT_MS,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      // Failures reach the requests (and the log) through the commands.
      client.on('error', () => {});
      // Redis closed the connection: the next request opens another.
      client.on('end', () => this.forget(client));
      this.client = client;
      this.opening = client.connect().then(() => client);
    }
    return this.opening;
  }

  /**
   * Drop a connection (closed, or failed).
   * @param {import('ioredis').Redis} client
   */
  forget(client) {
    if (this.client !== client) return;
    this.client = null;
    this.opening = null;
    client.disconnect();
  }

  /**
   * Count a request of `client` (and of `account`, if signed in).
   * @param {string} client
   * @param {string | null} [account]
   * @returns {Promise<Verdict | null>} null when Redis did not answer (the request goes through)
   */
  async check(client, account = null) {
    if (!this.enabled || this.clock() < this.pausedUntil) return null;
    const prefix = this.limits.keyPrefix || 'ratelimit';
    const checks = [{ key: `${prefix}:client:${client}`, limit: this.limits.perClient }];
    if (account !== null) {
      checks.push({ key: `${prefix}:account:${account}`, limit: this.limits.perAccount });
    }
    const windowMs = this.limits.windowMs ?? 60_000;
    /** @type {number[]} */
    let answers;
    try {
      const redis = await this.connection();
      const keys = checks.map((check) => check.key);
      answers = /** @type {number[]} */ (await redis.eval(COUNT, keys.length, ...keys, windowMs));
    } catch (error) {
      this.pause(error);
      return null;
    }
    const verdicts = checks.map(({ limit }, i) => {
      const count = Number(answers[2 * i]);
      const reset = Math.max(1, Math.ceil(Number(answers[2 * i + 1]) / 1000));
      return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), reset };
    });
    const refused = verdicts.filter((verdict) => !verdict.allowed);
    if (refused.length) return refused.reduce((a, b) => (b.reset > a.reset ? b : a));
    return verdicts.reduce((a, b) =>
      b.remaining < a.remaining || (b.remaining === a.remaining && b.reset > a.reset) ? b : a,
    );
  }

  /**
   * Leave Redis alone for a while, and say so once.
   * @param {unknown} error
   */
  pause(error) {
    if (this.client) this.forget(this.client);
    if (this.clock() < this.pausedUntil) return;
    this.pausedUntil = this.clock() + RETRY_AFTER_FAILURE_MS;
    const known = error instanceof Error;
    this.logger.warn(
      `rate limits are off for ${RETRY_AFTER_FAILURE_MS / 1000} s in process ${process.pid}: ` +
        `Redis cannot be reached (${known ? error.constructor.name : typeof error}: ` +
        `${known ? error.message : String(error)})`,
    );
  }

  /** Close the connection to Redis. */
  close() {
    if (this.client) this.forget(this.client);
  }
}

/**
 * The middleware that counts each request and refuses those past a limit: 429 with
 * Retry-After and {"detail": ...}.
 * @param {RateLimiter} limiter
 * @param {import('../core/config').Settings} settings
 * @returns {import('express').RequestHandler}
 */
function limit(limiter, settings) {
  return async (req, res, next) => {
    if (!limiter.appliesTo(req.method, req.path)) return next();
    const client = clientAddress(
      req.socket.remoteAddress,
      req.get('x-forwarded-for'),
      limiter.trusted,
    );
    const verdict = await limiter.check(client, accountOf(req.get('authorization'), settings));
    if (verdict) res.set(headers(verdict));
    if (verdict && !verdict.allowed) {
      res.status(429).json({ detail: `Too many requests: try again in ${verdict.reset} s` });
      return undefined;
    }
    return next();
  };
}

/**
 * The limiter of the settings (features.rateLimits, and RATE_LIMIT_PER_MINUTE).
 * @param {import('../core/config').Settings} settings
 * @param {RateLimiter['logger']} logger
 */
function fromSettings(settings, logger) {
  const { redisUrl, perAccount, keyPrefix, trustedProxies } = settings.features.rateLimits;
  return new RateLimiter(
    { redisUrl, perClient: settings.rateLimitPerMinute, perAccount, keyPrefix, trustedProxies },
    logger,
  );
}

module.exports = {
  RateLimiter,
  RETRY_AFTER_FAILURE_MS,
  UNLIMITED_PATHS,
  bearerToken,
  clientAddress,
  fromSettings,
  headers,
  limit,
  trustedNetworks,
};
