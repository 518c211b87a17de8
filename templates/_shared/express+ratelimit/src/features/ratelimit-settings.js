'use strict';
/**
 * Settings of the feature "ratelimit" (core/feature-settings.js merges them);
 * RATE_LIMIT_PER_MINUTE is core's own (the limit per client), REDIS_URL the Redis
 * layer's.
 * @module features/ratelimit-settings
 */
const { z } = require('zod');

const redis = require('../core/redis');

const shape = {
  ...redis.shape,
  RATE_LIMIT_ACCOUNT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_KEY_PREFIX: z.string().default('ratelimit'),
  // The proxies whose X-Forwarded-For names the client: addresses or networks, * any.
  FORWARDED_ALLOW_IPS: z.string().default('127.0.0.1'),
};

/**
 * @param {Record<string, any>} env the parsed environment
 */
function map(env) {
  return {
    rateLimits: Object.freeze({
      /** @type {string} */
      redisUrl: env.REDIS_URL,
      /** @type {number} */
      perAccount: env.RATE_LIMIT_ACCOUNT_PER_MINUTE,
      /** @type {string} */
      keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
      /** @type {string} */
      trustedProxies: env.FORWARDED_ALLOW_IPS,
    }),
  };
}

module.exports = { shape, map };
