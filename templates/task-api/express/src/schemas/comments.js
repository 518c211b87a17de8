'use strict';
/**
 * Comment shapes: create, read.
 * @module schemas/comments
 */
const { z } = require('zod');

const { pageQuery, text } = require('./common');

const MAX_BODY_LENGTH = 2000;

/** A new comment on a task. */
const commentCreate = z.strictObject({ body: text({ min: 1, max: MAX_BODY_LENGTH }) });

/** A comment as the API shows it. */
const commentPublic = z.object({
  id: z.number().int(),
  task_id: z.number().int(),
  author_id: z.number().int(),
  body: z.string(),
  created_at: z.iso.datetime(),
});

/** The page of GET /tasks/{task_id}/comments (oldest first). */
const commentQuery = pageQuery;

module.exports = { commentCreate, commentPublic, commentQuery };
