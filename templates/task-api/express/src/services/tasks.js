'use strict';
/**
 * Task rules: owners and admins manage tasks, assignees see them and move their status.
 *
 * A user sees the tasks they own or are assigned (anyone else's task is NotFound, so
 * that ids reveal nothing); an admin sees every task. Only the owner or an admin
 * changes a task's other fields, reassigns it or deletes it; the assignee may change
 * its status.
 * @module services/tasks
 */
const { Forbidden, NotFound, ValidationFailed } = require('../core/errors');
const { insert, isoTimestamp, now, transaction } = require('../db');
const { parseId } = require('../schemas/common');
const {
  paginateKeyset,
  parseBoolean,
  parseDate,
  parseRowId,
  parseText,
  parseTimestamp,
} = require('./keyset');
const { isAdmin } = require('./users');

/** What an assignee who does not own the task may change. */
const ASSIGNEE_FIELDS = new Set(['status']);

/**
 * Priorities sort low < medium < high by two portable keys, (priority = 'high') then
 * (priority = 'medium'): false before true puts low, then medium, then high. On
 * PostgreSQL the index ix_tasks_priority_rank has these very keys (migration 0004).
 */
const PRIORITY_KEYS = ["priority = 'high'", "priority = 'medium'"];

/** @type {import('./keyset').Key} */
const ID_KEY = { sql: 'id', value: (row) => Number(row.id), parse: parseRowId };

/**
 * The keys of each sort, ascending; a leading "-" reverses every key but the due date's
 * first (tasks without one go last either way: NULLS LAST, portable to MySQL). The same
 * keys make the ORDER BY and the cursor; PostgreSQL indexes each order (migration 0004).
 * @type {Record<string, import('./keyset').Key[]>}
 */
const SORT_KEYS = {
  created_at: [
    { sql: 'created_at', value: (row) => isoTimestamp(row.created_at), parse: parseTimestamp },
    ID_KEY,
  ],
  updated_at: [
    { sql: 'updated_at', value: (row) => isoTimestamp(row.updated_at), parse: parseTimestamp },
    ID_KEY,
  ],
  title: [{ sql: 'title', value: (row) => row.title, parse: parseText }, ID_KEY],
  priority: [
    ...PRIORITY_KEYS.map((sql, index) => ({
      sql,
      value: (/** @type {any} */ row) => row.priority === ['high', 'medium'][index],
      parse: parseBoolean,
    })),
    ID_KEY,
  ],
  due_date: [
    {
      sql: 'due_date IS NULL',
      value: (row) => row.due_date === null || row.due_date === undefined,
      parse: parseBoolean,
      ascending: true,
    },
    { sql: 'due_date', value: (row) => row.due_date ?? null, parse: parseDate },
    ID_KEY,
  ],
};

/**
 * A task as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    owner_id: Number(row.owner_id),
    title: row.title,
    description: row.description ?? null,
    status: row.status,
    priority: row.priority,
    due_date: row.due_date ?? null,
    project_id: row.project_id === null ? null : Number(row.project_id),
    assignee_id: row.assignee_id === null ? null : Number(row.assignee_id),
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
  };
}

/**
 * The tasks a user sees: their own and those assigned to them (every task for an admin).
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {import('./users').UserRow} user
 */
function visible(db, user) {
  const query = db('tasks');
  if (!isAdmin(user)) {
    query.where((q) => q.where('owner_id', user.id).orWhere('assignee_id', user.id));
  }
  return query;
}

/**
 * Whether a user may change every field of a task and delete it.
 * @param {import('./users').UserRow} user
 * @param {any} task
 */
function canManage(user, task) {
  return isAdmin(user) || Number(task.owner_id) === user.id;
}

/**
 * The tasks of a user's list in a scope, as disjoint parts whose union is it, each a
 * function that narrows a query to its part. A user's whole list is two parts, the
 * tasks they own and those assigned to them that they do not own: the page reads
 * their OR, the total counts them as a UNION ALL, each part an index range that stops
 * at the cap (docs/pagination.md of the toolkit). Owned or assigned tasks are visible
 * to their user, so a scope is its own one part.
 * @param {import('./users').UserRow} user
 * @param {string} scope
 * @returns {((query: import('knex').Knex.QueryBuilder) => import('knex').Knex.QueryBuilder)[]}
 */
function listed(user, scope) {
  if (scope === 'owned') return [(q) => q.where('owner_id', user.id)];
  if (scope === 'assigned') return [(q) => q.where('assignee_id', user.id)];
  if (isAdmin(user)) return [(q) => q];
  return [
    (q) => q.where('owner_id', user.id),
    (q) => q.where('assignee_id', user.id).whereNot('owner_id', user.id),
  ];
}

/**
 * One page of the tasks a user may see, filtered and sorted, by offset or after a cursor.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {any} query the validated taskQuery
 * @param {boolean} [offsetGiven] whether the request named an offset
 */
function listTasks(db, user, query, offsetGiven = false) {
  /** @param {import('knex').Knex.QueryBuilder} tasks */
  const filtered = (tasks) => {
    if (query.project_id !== undefined) tasks.where('project_id', query.project_id);
    if (query.status !== undefined) tasks.where('status', query.status);
    if (query.priority !== undefined) tasks.where('priority', query.priority);
    if (query.due_before !== undefined) tasks.where('due_date', '<=', query.due_before);
    if (query.due_after !== undefined) tasks.where('due_date', '>=', query.due_after);
    return tasks;
  };
  const parts = listed(user, query.scope);
  const tasks = filtered(db('tasks'));
  if (parts.length > 1) {
    tasks.where((either) => {
      for (const part of parts) either.orWhere((q) => part(q));
    });
  } else {
    parts[0](tasks);
  }
  const counted = parts.map((part) => part(filtered(db('tasks'))));
  const keys = SORT_KEYS[query.sort.replace(/^-/, '')];
  return paginateKeyset(db, tasks, query, offsetGiven, keys, toPublic, counted);
}

/**
 * The project must be one of the owner's, the assignee an active user; else 422.
 * A project of someone else and one that does not exist get the same answer.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {number} ownerId
 * @param {{project_id?: number | null, assignee_id?: number | null}} values
 */
async function checkReferences(db, ownerId, values) {
  const errors = [];
  if (values.project_id !== undefined && values.project_id !== null) {
    const mine = await db('projects')
      .where({ id: values.project_id, owner_id: ownerId })
      .first('id');
    if (!mine) errors.push({ field: 'project_id', message: "No such project of the task's owner" });
  }
  if (values.assignee_id !== undefined && values.assignee_id !== null) {
    const active = await db('users').where({ id: values.assignee_id, is_active: true }).first('id');
    if (!active) errors.push({ field: 'assignee_id', message: 'No such active user' });
  }
  if (errors.length) throw new ValidationFailed(errors);
}

/**
 * A task a user may see (owner, assignee, admin), or NotFound.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {import('./users').UserRow} user
 * @param {number} taskId
 */
async function getTask(db, user, taskId) {
  const task =
    parseId(String(taskId)) === null
      ? undefined
      : await visible(db, user).where('id', taskId).first();
  if (!task) throw new NotFound('Task not found');
  return task;
}

/**
 * Create a task owned by the user.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {any} data the validated taskCreate
 */
async function createTask(db, user, data) {
  const time = now();
  const id = await transaction(db, async (trx) => {
    await checkReferences(trx, user.id, data);
    return insert(trx, 'tasks', { ...data, owner_id: user.id, created_at: time, updated_at: time });
  });
  return toPublic(await getTask(db, user, id));
}

/**
 * Change the given fields of a task; an assignee may change only its status.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {number} taskId
 * @param {Record<string, unknown>} changes
 */
async function updateTask(db, user, taskId, changes) {
  const task = await getTask(db, user, taskId);
  if (!canManage(user, task) && Object.keys(changes).some((key) => !ASSIGNEE_FIELDS.has(key))) {
    throw new Forbidden('The assignee may change only the status of a task');
  }
  await transaction(db, async (trx) => {
    await checkReferences(trx, Number(task.owner_id), changes);
    if (Object.keys(changes).length) {
      await trx('tasks')
        .where({ id: task.id })
        .update({ ...changes, updated_at: now() });
    }
  });
  return toPublic(await getTask(db, user, task.id));
}

/**
 * Delete a task (owner or admin); its comments go with it.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {number} taskId
 */
async function deleteTask(db, user, taskId) {
  const task = await getTask(db, user, taskId);
  if (!canManage(user, task)) throw new Forbidden('Only the owner or an admin may delete a task');
  await db('tasks').where({ id: task.id }).delete();
}

module.exports = { toPublic, canManage, listTasks, getTask, createTask, updateTask, deleteTask };
