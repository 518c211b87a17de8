'use strict';
/**
 * The Redis client of the features that use it (rate limits, cache): a request never
 * waits in a queue for Redis, nor for retries; its feature goes on without Redis.
 * @module core/redis
 */
const Redis = require('ioredis').default;

/** How long a request waits for Redis before it goes on without it. */
const REDIS_TIMEOUT_MS = 500;

/**
 * A client of `url`, not yet connected (call its connect()); failures reach the caller
 * through the commands, never as an 'error' event that would end the process.
 * @param {string} url
 * @returns {import('ioredis').Redis}
 */
function openRedis(url) {
  const client = new Redis(url, {
    lazyConnect: true,
    // A request never waits in a queue for Redis, nor for retries: it goes on without it.
    enableOfflineQueue: false,
    enableReadyCheck: false,
    connectTimeout: REDIS_TIMEOUT_MS,
    commandTimeout: REDIS_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  return client;
}

module.exports = { REDIS_TIMEOUT_MS, openRedis };
