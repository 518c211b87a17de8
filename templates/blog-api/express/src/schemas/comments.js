'use strict';
/**
 * Comment shapes.
 * @module schemas/comments
 */
const { z } = require('zod');

const { text } = require('./common');

const MAX_COMMENT_LENGTH = 5000;

/** A new comment. */
const commentCreate = z.strictObject({
  body: text({ min: 1, max: MAX_COMMENT_LENGTH }),
});

/** A comment as the API shows it. */
const commentPublic = z.object({
  id: z.number().int(),
  post_id: z.number().int(),
  author_id: z.number().int(),
  body: z.string(),
  created_at: z.iso.datetime(),
});

module.exports = { commentCreate, commentPublic };
