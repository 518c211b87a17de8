'use strict';
/**
 * Settings a kind adds to core/config.js: a kind replaces this file (same path) with
 * its own zod shape (environment variable names) and the names the code reads.
 * @module core/kind-settings
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
