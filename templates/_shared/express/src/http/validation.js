'use strict';
/**
 * zod results as the common 422 body: [{"field", "message"}], "body" or "query" for
 * the whole body or query string.
 * @module http/validation
 */
const { ValidationFailed } = require('../core/errors');

/**
 * @param {import('zod').ZodError} error
 * @param {'body' | 'query'} source
 * @returns {{field: string, message: string}[]}
 */
function fieldErrors(error, source) {
  const result = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        result.push({ field: field ? `${field}.${key}` : key, message: 'Unknown field' });
      }
    } else {
      result.push({ field: field || source, message: issue.message });
    }
  }
  return result;
}

/**
 * Validate a value with a zod schema, or throw ValidationFailed.
 * @template {import('zod').ZodType} S
 * @param {S} schema
 * @param {unknown} value
 * @param {'body' | 'query'} source
 * @returns {import('zod').output<S>}
 */
function validate(schema, value, source) {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationFailed(fieldErrors(result.error, source));
  return result.data;
}

/**
 * The query string as flat strings: a repeated parameter counts by its last value.
 * @param {Record<string, unknown>} query
 */
function flatQuery(query) {
  /** @type {Record<string, unknown>} */
  const flat = {};
  for (const [key, value] of Object.entries(query)) {
    flat[key] = Array.isArray(value) ? value[value.length - 1] : value;
  }
  return flat;
}

module.exports = { fieldErrors, validate, flatQuery };
