'use strict';
/**
 * Settings of the feature "queue" (core/feature-settings.js merges them); REDIS_URL is
 * the Redis layer's.
 * @module features/queue-settings
 */
const { z } = require('zod');

const redis = require('../core/redis');

const shape = {
  ...redis.shape,
  // The prefix of the queue's keys in Redis, so that services sharing one Redis keep apart.
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, _, . and - only')
    .default('queue'),
  // How often the worker enqueues again the work the queue lost (from the database).
  QUEUE_SWEEP_SECONDS: z.coerce.number().min(0.1).max(86400).default(30),
};

/**
 * @param {Record<string, any>} env the parsed environment
 */
function map(env) {
  return {
    queue: Object.freeze({
      /** @type {string} */
      redisUrl: env.REDIS_URL,
      /** @type {string} */
      prefix: env.QUEUE_PREFIX,
      /** @type {number} */
      sweepSeconds: env.QUEUE_SWEEP_SECONDS,
    }),
  };
}

module.exports = { shape, map };
