'use strict';
/**
 * Settings of the feature "cache" (core/feature-settings.js merges them); REDIS_URL is
 * the Redis layer's.
 * @module features/cache-settings
 */
const { z } = require('zod');

const redis = require('../core/redis');

const shape = {
  ...redis.shape,
  // Seconds a cached answer lives at most (the bound of staleness if an invalidation fails).
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(60),
  // The prefix of the cache's keys in Redis, so that services sharing one Redis keep apart.
  CACHE_KEY_PREFIX: z.string().default('cache'),
};

/**
 * @param {Record<string, any>} env the parsed environment
 */
function map(env) {
  return {
    cache: Object.freeze({
      /** @type {string} */
      redisUrl: env.REDIS_URL,
      /** @type {number} */
      ttlSeconds: env.CACHE_TTL_SECONDS,
      /** @type {string} */
      keyPrefix: env.CACHE_KEY_PREFIX,
    }),
  };
}

module.exports = { shape, map };
