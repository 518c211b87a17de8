'use strict';
/**
 * Task shapes: create, update, read, list query.
 * @module schemas/tasks
 */
const { z } = require('zod');

const { MAX_ID, id, pageQuery, queryInt, text } = require('./common');

const MAX_TITLE_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 10_000;
const STATUSES = /** @type {const} */ (['todo', 'in_progress', 'done']);
/** Sorts low < medium < high. */
const PRIORITIES = /** @type {const} */ (['low', 'medium', 'high']);
const SORT_KEYS = ['created_at', 'updated_at', 'due_date', 'priority', 'title'];
const SORTS = /** @type {[string, ...string[]]} */ (SORT_KEYS.flatMap((key) => [key, `-${key}`]));
const SCOPES = /** @type {const} */ (['all', 'owned', 'assigned']);

const status = z.enum(STATUSES);
const priority = z.enum(PRIORITIES);
const dueDate = z.iso.date();

/**
 * A new task; only the title is required. project_id is one of your projects;
 * assignee_id any active user, who then sees the task and may change its status.
 */
const taskCreate = z.strictObject({
  title: text({ min: 1, max: MAX_TITLE_LENGTH }),
  description: text({ max: MAX_DESCRIPTION_LENGTH }).nullable().default(null),
  status: status.default('todo'),
  priority: priority.default('medium'),
  due_date: dueDate.nullable().default(null),
  project_id: id.nullable().default(null),
  assignee_id: id.nullable().default(null),
});

/**
 * Fields to change; those left out stay as they are, null clears optional ones.
 * The assignee (if not the owner) may send only status.
 */
const taskUpdate = z.strictObject({
  title: text({ min: 1, max: MAX_TITLE_LENGTH }).optional(),
  description: text({ max: MAX_DESCRIPTION_LENGTH }).nullable().optional(),
  status: status.optional(),
  priority: priority.optional(),
  due_date: dueDate.nullable().optional(),
  project_id: id.nullable().optional(),
  assignee_id: id.nullable().optional(),
});

/** A task as the API shows it. */
const taskPublic = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  status,
  priority,
  due_date: z.iso.date().nullable(),
  project_id: z.number().int().nullable(),
  assignee_id: z.number().int().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

/** Filters, sort order and page of GET /tasks; due dates are inclusive bounds. */
const taskQuery = pageQuery.extend({
  scope: z.enum(SCOPES).default('all'),
  project_id: queryInt(z.number().int().min(1).max(MAX_ID)).optional(),
  status: status.optional(),
  priority: priority.optional(),
  due_before: dueDate.optional(),
  due_after: dueDate.optional(),
  sort: z.enum(SORTS).default('-created_at'),
  // The next_cursor of a page: the page after it (instead of an offset).
  cursor: z.string().min(1).max(1024).optional(),
});

module.exports = { taskCreate, taskUpdate, taskPublic, taskQuery, PRIORITIES, STATUSES };
