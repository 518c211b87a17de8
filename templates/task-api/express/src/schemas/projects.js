'use strict';
/**
 * Project shapes: create, update, read, list query.
 * @module schemas/projects
 */
const { z } = require('zod');

const { pageQuery, text } = require('./common');

const MAX_NAME_LENGTH = 100;
const MAX_DESCRIPTION_LENGTH = 10_000;

/** A new project; the name must differ from your other projects' names. */
const projectCreate = z.strictObject({
  name: text({ min: 1, max: MAX_NAME_LENGTH }),
  description: text({ max: MAX_DESCRIPTION_LENGTH }).nullable().optional(),
});

/** Fields to change; those left out stay as they are, null clears the description. */
const projectUpdate = z.strictObject({
  name: text({ min: 1, max: MAX_NAME_LENGTH }).optional(),
  description: text({ max: MAX_DESCRIPTION_LENGTH }).nullable().optional(),
});

/** A project as the API shows it, with the number of tasks it groups. */
const projectPublic = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  task_count: z.number().int(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

/** The page of GET /projects (sorted by name). */
const projectQuery = pageQuery;

module.exports = { projectCreate, projectUpdate, projectPublic, projectQuery, MAX_NAME_LENGTH };
