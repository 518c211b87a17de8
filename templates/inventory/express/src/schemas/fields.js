'use strict';
/**
 * Field types of the inventory: codes (SKUs, warehouse codes) and quantities.
 * @module schemas/fields
 */
const { z } = require('zod');

const { MAX_ID, queryInt } = require('./common');

/** The most units one movement may move. */
const MAX_QUANTITY = 1_000_000;
/** The most units one warehouse may hold of one product. */
const MAX_LEVEL = 1_000_000_000;

/** A SKU or a warehouse code: trimmed and upper-cased, then ^[A-Z0-9][A-Z0-9-]{2,31}$. */
const code = z
  .preprocess(
    (value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
    z
      .string()
      .regex(
        /^[A-Z0-9][A-Z0-9-]{2,31}$/,
        'must be 3 to 32 letters, digits or hyphens, starting with no hyphen',
      ),
  )
  // The document says what may be sent (it is trimmed first): in either case.
  .meta({ pattern: '^[A-Za-z0-9][A-Za-z0-9-]{2,31}$' });

/** A count of units; a float, a string or a boolean is refused. */
const units = z.number().int().min(0).max(MAX_LEVEL);

/** An id in a query string. */
const queryId = queryInt(z.number().int().min(1).max(MAX_ID));

module.exports = { MAX_QUANTITY, MAX_LEVEL, code, units, queryId };
