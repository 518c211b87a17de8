'use strict';
/**
 * zod results as the common 422 body: [{"field", "message"}], "body" or "query" for
 * the whole body or query string; and integers in bodies as the client wrote them.
 * @module http/validation
 */
const { z } = require('zod');

const { ValidationFailed } = require('../core/errors');

const NOT_AN_INTEGER = 'Input should be a valid integer';

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

// A JSON string, or a number token (outside strings, since strings are matched first).
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const FLOAT_MARK = '\u0000float';

/**
 * The fields among `paths` (dot paths such as 'amount' or 'items.0.amount') whose value
 * the raw JSON text writes as a number with a fraction or an exponent (10.0, 1e3).
 * @param {Buffer | string | undefined} raw the request body as received
 * @param {string[]} paths
 * @returns {string[]}
 */
function floatLiterals(raw, paths) {
  if (raw === undefined || raw.length === 0 || paths.length === 0) return [];
  let marked;
  try {
    const text = String(raw).replace(TOKENS, (token) =>
      token.startsWith('"') || !/[.eE]/.test(token) ? token : JSON.stringify(FLOAT_MARK),
    );
    marked = JSON.parse(text);
  } catch {
    return [];
  }
  return paths.filter((path) => {
    /** @type {any} */
    let value = marked;
    for (const part of path.split('.')) {
      if (value === null || typeof value !== 'object') return false;
      value = value[part];
    }
    return value === FLOAT_MARK;
  });
}

/**
 * The dot paths of every integer field of a body schema, nested objects included.
 * @param {import('zod').ZodType} schema
 * @returns {string[]}
 */
function integerPaths(schema) {
  /** @type {string[]} */
  const found = [];
  /** @param {any} node @param {string} prefix */
  const walk = (node, prefix) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'integer' || (Array.isArray(node.type) && node.type.includes('integer'))) {
      if (prefix) found.push(prefix);
    }
    for (const option of [...(node.anyOf || []), ...(node.oneOf || []), ...(node.allOf || [])]) {
      walk(option, prefix);
    }
    for (const [name, property] of Object.entries(node.properties || {})) {
      walk(property, prefix ? `${prefix}.${name}` : name);
    }
  };
  walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), '');
  return [...new Set(found)];
}

/**
 * Refuse integers a body writes as floats: JSON.parse reads 2.0 as 2, which zod then
 * takes for an integer. `true`, "2" and 2.5 are zod's own to refuse.
 * @param {Buffer | string | undefined} raw the request body as received
 * @param {string[]} paths the body's integer fields (integerPaths)
 */
function refuseFloatIntegers(raw, paths) {
  const fields = floatLiterals(raw, paths);
  if (fields.length) {
    throw new ValidationFailed(fields.map((field) => ({ field, message: NOT_AN_INTEGER })));
  }
}

module.exports = {
  fieldErrors,
  validate,
  flatQuery,
  floatLiterals,
  integerPaths,
  refuseFloatIntegers,
};
