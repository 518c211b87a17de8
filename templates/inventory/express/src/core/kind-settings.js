'use strict';
/**
 * inventory's settings on top of core/config.js.
 * @module core/kind-settings
 */
const { z } = require('zod');

/** @type {Record<string, import('zod').ZodType>} */
const shape = {
  // How often a stock movement is tried when the database fails its transaction over
  // a deadlock or a lock wait between concurrent ones.
  STOCK_MOVEMENT_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
};

/**
 * @param {Record<string, any>} env the parsed environment
 * @returns {{stockMovementAttempts: number}}
 */
function map(env) {
  return { stockMovementAttempts: env.STOCK_MOVEMENT_ATTEMPTS };
}

module.exports = { shape, map };
