'use strict';
/**
 * JSON with BigInt values written as plain integers: sums of amounts may pass 2^53,
 * where a JavaScript number would round them (JSON.stringify refuses BigInt).
 * @module core/exact-json
 */

/**
 * The JSON text of `value`; a BigInt becomes its exact digits, a JSON integer.
 * @param {unknown} value
 * @returns {string}
 */
function exactJson(value) {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(exactJson).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${JSON.stringify(key)}:${exactJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Send `value` as an exact JSON response.
 * @param {import('express').Response} res
 * @param {unknown} value
 * @param {number} [status]
 */
function sendExactJson(res, value, status = 200) {
  res.status(status).type('application/json').send(exactJson(value));
}

module.exports = { exactJson, sendExactJson };
