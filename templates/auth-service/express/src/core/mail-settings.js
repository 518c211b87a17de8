'use strict';
/**
 * Settings of the outbox's delivery (core/kind-settings.js merges them): none here, the
 * messages wait in the outbox. The feature "queue" replaces this module
 * (auth-service/express+queue): the SMTP server, the sender, attempts and backoff.
 * @module core/mail-settings
 */

/** @type {Record<string, import('zod').ZodType>} */
const shape = {};

/**
 * @param {Record<string, any>} _env the parsed environment
 */
function map(_env) {
  return {};
}

module.exports = { shape, map };
