'use strict';
/**
 * The payments kind's settings: how the webhook worker delivers.
 * @module core/kind-settings
 */
const { z } = require('zod');

/**
 * @param {number} min
 * @param {number} max
 * @param {number} fallback
 */
const int = (min, max, fallback) => z.coerce.number().int().min(min).max(max).default(fallback);
/**
 * @param {number} min
 * @param {number} max
 * @param {number} fallback
 */
const seconds = (min, max, fallback) => z.coerce.number().min(min).max(max).default(fallback);
const bool = (/** @type {boolean} */ fallback) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => ['true', '1', 'yes'].includes(value));

/** @type {Record<string, import('zod').ZodType>} */
const shape = {
  WEBHOOK_MAX_ATTEMPTS: int(1, 20, 6),
  WEBHOOK_BACKOFF_SECONDS: seconds(0, 3600, 10),
  WEBHOOK_TIMEOUT_SECONDS: seconds(0.1, 60, 5),
  // Loopback and private addresses are allowed by default (development, tests); set
  // it to false in production so that webhooks cannot reach the internal network.
  WEBHOOK_ALLOW_PRIVATE_URLS: bool(true),
  WORKER_POLL_SECONDS: seconds(0.05, 60, 1),
};

/**
 * @param {Record<string, any>} env the parsed environment
 * @returns {{webhookMaxAttempts: number, webhookBackoffSeconds: number,
 *   webhookTimeoutSeconds: number, webhookAllowPrivateUrls: boolean,
 *   workerPollSeconds: number}}
 */
function map(env) {
  return {
    webhookMaxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    webhookBackoffSeconds: env.WEBHOOK_BACKOFF_SECONDS,
    webhookTimeoutSeconds: env.WEBHOOK_TIMEOUT_SECONDS,
    webhookAllowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS,
    workerPollSeconds: env.WORKER_POLL_SECONDS,
  };
}

module.exports = { shape, map };
