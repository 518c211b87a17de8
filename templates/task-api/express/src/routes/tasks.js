'use strict';
/**
 * Tasks: owned, maybe in a project, maybe assigned; filtered, sorted, paginated.
 * @module routes/tasks
 */
const { z } = require('zod');

const { taskCreate, taskPublic, taskQuery, taskUpdate } = require('../schemas/tasks');
const tasks = require('../services/tasks');

const taskPage = z.object({
  items: z.array(taskPublic),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  next_cursor: z.string().nullable(),
});
const NOT_FOUND = { 404: 'Task not found' };

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/tasks',
      summary: 'List tasks you own or are assigned (all for an admin), filtered, sorted, paginated',
      auth: 'user',
      query: taskQuery,
      response: taskPage,
    },
    ({ req, db, user, query }) => tasks.listTasks(db, user, query, 'offset' in req.query),
  );
  api.route(
    {
      method: 'POST',
      path: '/tasks',
      summary: 'Create a task, maybe in one of your projects, maybe assigned',
      auth: 'user',
      body: taskCreate,
      response: taskPublic,
      status: 201,
    },
    ({ db, user, body }) => tasks.createTask(db, user, body),
  );
  api.route(
    {
      method: 'GET',
      path: '/tasks/{task_id}',
      summary: 'Read a task (owner, assignee or admin)',
      auth: 'user',
      response: taskPublic,
      errors: NOT_FOUND,
    },
    async ({ db, user, params }) => tasks.toPublic(await tasks.getTask(db, user, params.task_id)),
  );
  api.route(
    {
      method: 'PATCH',
      path: '/tasks/{task_id}',
      summary: 'Change some fields of a task (the assignee: its status only)',
      auth: 'user',
      body: taskUpdate,
      response: taskPublic,
      errors: { ...NOT_FOUND, 403: 'The assignee may change only the status' },
    },
    ({ db, user, params, body }) => tasks.updateTask(db, user, params.task_id, body),
  );
  api.route(
    {
      method: 'DELETE',
      path: '/tasks/{task_id}',
      summary: 'Delete a task (owner or admin)',
      auth: 'user',
      status: 204,
      errors: { ...NOT_FOUND, 403: 'Only the owner or an admin may delete a task' },
    },
    ({ db, user, params }) => tasks.deleteTask(db, user, params.task_id),
  );
};
