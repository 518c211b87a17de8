'use strict';
/**
 * Customer shapes: create, update, read, list query.
 * @module schemas/customers
 */
const { z } = require('zod');

const { email, pageQuery, queryText, text } = require('./common');

const MAX_NAME_LENGTH = 200;

/** A new customer. */
const customerCreate = z.strictObject({
  name: text({ min: 1, max: MAX_NAME_LENGTH }),
  email,
});

/** Fields to change; those left out stay as they are (null is refused). */
const customerUpdate = z.strictObject({
  name: text({ min: 1, max: MAX_NAME_LENGTH }).optional(),
  email: email.optional(),
});

/** A customer as the API shows it. */
const customerPublic = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  name: z.string(),
  email: z.string(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

/** Filters of GET /customers. */
const customerQuery = pageQuery.extend({
  email: queryText.pipe(z.string().max(320)).optional(),
});

module.exports = { customerCreate, customerUpdate, customerPublic, customerQuery };
