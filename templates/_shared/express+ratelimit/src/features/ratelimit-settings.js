'use strict';
/**
 * Settings the features add to core/config.js: the rate limits'{{ ", the metrics'" if "metrics" in features else "" }}
 * (RATE_LIMIT_PER_MINUTE is core's own: the limit per client).
 * @module core/feature-settings
 */
const { z } = require('zod');

const shape = {
{% if "metrics" in features %}
  // When set, GET /metrics asks for `Authorization: Bearer <METRICS_TOKEN>`.
  METRICS_TOKEN: z.string().optional(),
{% endif %}
  // The Redis of the rate limits' counters (http/ratelimit.js); empty: no limits.
  REDIS_URL: z.string().default(''),
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
{% if "metrics" in features %}
    /** @type {string | undefined} */
    metricsToken: env.METRICS_TOKEN,
{% endif %}
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
