'use strict';
/**
 * Settings of the feature "metrics" (core/feature-settings.js merges them).
 * @module features/metrics-settings
 */
const { z } = require('zod');

const shape = {
  // When set, GET /metrics asks for `Authorization: Bearer <METRICS_TOKEN>`.
  METRICS_TOKEN: z.string().optional(),
};

/**
 * @param {Record<string, any>} env the parsed environment
 * @returns {{metricsToken: string | undefined}}
 */
function map(env) {
  return { metricsToken: env.METRICS_TOKEN };
}

module.exports = { shape, map };
