'use strict';
/**
 * The Redis client of the features that use it (rate limits, cache): a request never
 * waits in a queue for Redis, nor for retries; its feature goes on without Redis (fails
 * open). When Redis does not answer, the feature logs one warning and leaves Redis alone
 * for RETRY_AFTER_FAILURE_MS, so an outage costs no request more than a timeout.
 * @module core/redis
 */
const Redis = require('ioredis').default;
const { z } = require('zod');

/** How long a request waits for Redis before it goes on without it. */
const REDIS_TIMEOUT_MS = 500;
/** Milliseconds without asking Redis after it failed to answer. */
const RETRY_AFTER_FAILURE_MS = 5000;

/** The setting every feature on Redis reads (core/feature-settings.js merges it once). */
const shape = {
  // The Redis that every worker and replica share; empty: the features on it are off.
  REDIS_URL: z.string().default(''),
};

/**
 * A client of `url`, not yet connected (call its connect()); failures reach the caller
 * through the commands, never as an 'error' event that would end the process.
 * @param {string} url
 * @param {number} [timeoutMs] how long to wait to connect, and for each command
 * @returns {import('ioredis').Redis}
 */
function openRedis(url, timeoutMs = REDIS_TIMEOUT_MS) {
  const client = new Redis(url, {
    lazyConnect: true,
    // A request never waits in a queue for Redis, nor for retries: it goes on without it.
    enableOfflineQueue: false,
    enableReadyCheck: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  return client;
}

/** @typedef { {warn: (message: string, fields?: Record<string, unknown>) => void} } Warner */

/** One connection to Redis for one feature of one app, that fails open. */
class FailOpenRedis {
  /**
   * @param {string} url empty: off
   * @param {Warner} logger
   * @param {string} off what an outage turns off, for the warning ("rate limits are off")
   * @param {() => number} [clock] milliseconds
   * @param {number} [timeoutMs] how long to wait to connect, and for each command
   */
  constructor(url, logger, off, clock = () => performance.now(), timeoutMs = REDIS_TIMEOUT_MS) {
    this.url = url;
    this.logger = logger;
    this.off = off;
    this.clock = clock;
    this.timeoutMs = timeoutMs;
    this.pausedUntil = 0;
    /** @type {Promise<import('ioredis').Redis> | null} */
    this.opening = null;
    /** @type {import('ioredis').Redis | null} */
    this.client = null;
  }

  /** Whether there is a Redis at all (REDIS_URL is set). */
  get enabled() {
    return Boolean(this.url);
  }

  /** Whether Redis may be asked now: set, and not left alone after a failure. */
  get available() {
    return this.enabled && this.clock() >= this.pausedUntil;
  }

  /**
   * The connection, opened once (requests that come meanwhile wait for it).
   * @returns {Promise<import('ioredis').Redis>}
   */
  connection() {
    if (!this.opening) {
      const client = openRedis(this.url, this.timeoutMs);
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
   * Run commands on Redis; null when it is off or did not answer (then the caller goes
   * on without it).
   * @template T
   * @param {(redis: import('ioredis').Redis) => Promise<T>} commands
   * @returns {Promise<{value: T} | null>}
   */
  async run(commands) {
    if (!this.available) return null;
    try {
      return { value: await commands(await this.connection()) };
    } catch (error) {
      this.pause(error);
      return null;
    }
  }

  /**
   * Leave Redis alone for a while, and say so once.
   * @param {unknown} error
   */
  pause(error) {
    if (this.client) this.forget(this.client);
    if (this.clock() < this.pausedUntil) return;
    this.pausedUntil = this.clock() + RETRY_AFTER_FAILURE_MS;
    this.logger.warn(
      `${this.off} for ${RETRY_AFTER_FAILURE_MS / 1000} s in process ${process.pid}: ` +
        `Redis cannot be reached (${describe(error)})`,
    );
  }

  /** Close the connection. */
  close() {
    if (this.client) this.forget(this.client);
  }
}

/**
 * "ErrorClass: message", for a log line.
 * @param {unknown} error
 */
function describe(error) {
  const known = error instanceof Error;
  return `${known ? error.constructor.name : typeof error}: ${known ? error.message : String(error)}`;
}

module.exports = {
  FailOpenRedis,
  REDIS_TIMEOUT_MS,
  RETRY_AFTER_FAILURE_MS,
  openRedis,
  shape,
};
