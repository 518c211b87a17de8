'use strict';
/**
 * The page shape of list responses, for the OpenAPI document.
 * @module schemas/page
 */
const { z } = require('zod');

/**
 * {"items", "total", "limit", "offset"} of an item shape.
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
