'use strict';
/**
 * Shapes used by every resource: text without NUL characters, ids, pages.
 * @module schemas/common
 */
const { z } = require('zod');

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;
/**
 * Ids and offsets fit a 32-bit signed integer; larger numbers are refused before they
 * reach the database.
 */
const MAX_ID = 2 ** 31 - 1;
/** The longest address a mail system takes (RFC 5321 paths, less the angle brackets). */
const MAX_EMAIL_LENGTH = 254;

const noNul = (/** @type {string} */ value) => !value.includes('\u0000');
const NUL_MESSAGE = 'must not contain NUL characters';

/**
 * A trimmed string without NUL characters (PostgreSQL cannot store them).
 * @param {{min?: number, max?: number}} [bounds]
 */
function text({ min, max } = {}) {
  let schema = z.string().trim();
  if (min !== undefined) schema = schema.min(min);
  if (max !== undefined) schema = schema.max(max);
  return schema.refine(noNul, NUL_MESSAGE);
}

/** An email address, trimmed; the document says format email, as in every stack. */
const email = z
  .string()
  .trim()
  .min(1)
  .max(MAX_EMAIL_LENGTH)
  .pipe(z.email())
  .meta({ format: 'email' });

/** A positive id in a body (a JSON integer). */
const id = z.number().int().min(1).max(MAX_ID);

/**
 * A query-string integer: digits become a number, anything else fails as not a number.
 * @param {z.ZodNumber} schema
 */
function queryInt(schema) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value),
    schema,
  );
}

/** A query-string boolean: true/false, 1/0, yes/no. */
const queryBool = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const lowered = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lowered)) return true;
  if (['false', '0', 'no', 'off'].includes(lowered)) return false;
  return value;
}, z.boolean());

/** A query-string value without NUL characters. */
const queryText = z.string().trim().refine(noNul, NUL_MESSAGE);

/** ?limit=&offset= with a maximum page size; unknown parameters are ignored. */
const pageQuery = z.object({
  limit: queryInt(z.number().int().min(1).max(MAX_PAGE_SIZE)).default(DEFAULT_PAGE_SIZE),
  offset: queryInt(z.number().int().min(0).max(MAX_ID)).default(0),
});

/**
 * A path id: anything but an integer 1..MAX_ID names no resource (a 404).
 * @param {string} value
 * @returns {number | null}
 */
function parseId(value) {
  if (!/^\d{1,10}$/.test(value)) return null;
  const number = Number(value);
  return number >= 1 && number <= MAX_ID ? number : null;
}

/**
 * The page shape of list responses, {items, total, limit, offset}, for OpenAPI.
 * @param {import('zod').ZodType} item
 */
function pageOf(item) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

module.exports = {
  MAX_PAGE_SIZE,
  DEFAULT_PAGE_SIZE,
  MAX_ID,
  MAX_EMAIL_LENGTH,
  email,
  text,
  id,
  queryInt,
  queryBool,
  queryText,
  pageQuery,
  pageOf,
  parseId,
};
