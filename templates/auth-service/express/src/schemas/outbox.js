'use strict';
/**
 * Outbox messages, as admins read them.
 * @module schemas/outbox
 */
const { z } = require('zod');

const { pageQuery } = require('./common');

/** One message waiting to be mailed. */
const outboxMessage = z.object({
  id: z.number().int(),
  recipient: z.string(),
  subject: z.string(),
  body: z.string(),
  created_at: z.iso.datetime(),
});

/** Filters of GET /admin/outbox. */
const outboxQuery = pageQuery.extend({
  recipient: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
    .optional(),
});

const outboxPage = z.object({
  items: z.array(outboxMessage),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

module.exports = { outboxMessage, outboxQuery, outboxPage };
