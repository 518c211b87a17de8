'use strict';
/**
 * Tag shapes.
 * @module schemas/tags
 */
const { z } = require('zod');

/** A tag with the number of published posts that carry it. */
const tagPublic = z.object({
  name: z.string(),
  post_count: z.number().int(),
});

module.exports = { tagPublic };
