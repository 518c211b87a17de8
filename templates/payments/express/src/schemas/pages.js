'use strict';
/**
 * The page shape of the payments lists, for the OpenAPI document.
 * @module schemas/pages
 */
const { z } = require('zod');

/**
 * {items, total, limit, offset} of `item`.
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

module.exports = { pageOf };
