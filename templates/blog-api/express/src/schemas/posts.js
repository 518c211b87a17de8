'use strict';
/**
 * Post shapes: create, update, read, list query; tags are stored in lowercase.
 * @module schemas/posts
 */
const { z } = require('zod');

const { MAX_ID, pageQuery, queryInt, queryText, text } = require('./common');

const MAX_TITLE_LENGTH = 200;
const MAX_BODY_LENGTH = 100_000;
const MAX_TAGS = 10;
const MAX_TAG_LENGTH = 30;
/** A title of 200 characters, a dash and a number. */
const MAX_SLUG_LENGTH = 220;
const STATUSES = /** @type {const} */ (['draft', 'published']);

const status = z.enum(STATUSES);
const title = text({ min: 1, max: MAX_TITLE_LENGTH });
const body = text({ max: MAX_BODY_LENGTH });

/** A tag name, compared in lowercase: " Python " is "python". */
const tag = z
  .preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
    z
      .string()
      .min(1)
      .max(MAX_TAG_LENGTH)
      .regex(/^[a-z0-9-]+$/, 'only a-z, 0-9 and - are allowed'),
  )
  // The document says what may be sent (it is trimmed first): either case, digits and -.
  .meta({ pattern: '^[A-Za-z0-9-]+$' });
/** At most ten tags; "Python" and "python" are one. */
const tags = z
  .array(tag)
  .max(MAX_TAGS)
  .transform((names) => [...new Set(names)]);

/** A new post; a draft unless status says published. */
const postCreate = z.strictObject({
  title,
  body: body.default(''),
  status: status.default('draft'),
  tags: tags.default([]),
});

/** Fields to change; those left out stay as they are (null is refused). tags replaces all. */
const postUpdate = z.strictObject({
  title: title.optional(),
  body: body.optional(),
  status: status.optional(),
  tags: tags.optional(),
});

/** A post as the API shows it. */
const postPublic = z.object({
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  body: z.string(),
  status,
  published_at: z.iso.datetime().nullable(),
  tags: z.array(z.string()),
  author_id: z.number().int(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

/** Filters and page of GET /posts. */
const postQuery = pageQuery.extend({
  status: status.default('published'),
  tag: queryText.pipe(z.string().max(MAX_TAG_LENGTH)).optional(),
  author: queryInt(z.number().int().min(1).max(MAX_ID)).optional(),
  q: queryText.pipe(z.string().max(MAX_TITLE_LENGTH)).optional(),
  // The next_cursor of a page: the page after it (instead of an offset).
  cursor: z.string().min(1).max(1024).optional(),
});

module.exports = {
  MAX_TITLE_LENGTH,
  MAX_SLUG_LENGTH,
  STATUSES,
  postCreate,
  postUpdate,
  postPublic,
  postQuery,
};
