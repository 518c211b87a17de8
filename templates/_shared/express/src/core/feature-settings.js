'use strict';
/**
 * Settings an optional feature adds to core/config.js: a feature's express+<feature>
 * layer replaces this file (same path) with its zod shape (environment variable names)
 * and the names the code reads (`settings.features`).
 * @module core/feature-settings
 */

/** @type {Record<string, import('zod').ZodType>} */
const shape = {};

/**
 * @param {Record<string, any>} _env the parsed environment
 * @returns {Record<string, unknown>}
 */
function map(_env) {
  return {};
}

module.exports = { shape, map };
