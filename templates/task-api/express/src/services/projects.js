'use strict';
/**
 * Project rules: a user manages their own projects, an admin every project.
 *
 * Names are unique among one owner's projects (Conflict). Deleting a project detaches
 * its tasks: they stay, in no project.
 * @module services/projects
 */
const { Conflict, NotFound } = require('../core/errors');
const { insert, isUniqueViolation, isoTimestamp, now, toCount, transaction } = require('../db');
const { parseId } = require('../schemas/common');
const { paginate } = require('./pagination');
const { isAdmin } = require('./users');

const NAME_TAKEN = 'You already have a project with this name';

/**
 * A project as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    owner_id: Number(row.owner_id),
    name: row.name,
    description: row.description ?? null,
    task_count: toCount(row.task_count),
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
  };
}

/**
 * Projects with their task counts (counted by the database; tasks.project_id is indexed).
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {import('./users').UserRow} user
 */
function visible(db, user) {
  const query = db('projects').select(
    'projects.*',
    db('tasks')
      .count('*')
      .whereRaw('?? = ??', ['tasks.project_id', 'projects.id'])
      .as('task_count'),
  );
  return isAdmin(user) ? query : query.where('projects.owner_id', user.id);
}

/**
 * @param {import('knex').Knex} db
 * @param {number} ownerId
 * @param {string} name
 * @param {number} [projectId] the project being renamed
 */
async function checkNameIsFree(db, ownerId, name, projectId) {
  const query = db('projects').where({ owner_id: ownerId, name }).first('id');
  if (projectId !== undefined) query.whereNot('id', projectId);
  if (await query) throw new Conflict(NAME_TAKEN);
}

/**
 * Run a write; another request taking the name first is a Conflict too.
 * @template T
 * @param {() => Promise<T>} write
 */
async function guarded(write) {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(NAME_TAKEN);
    throw error;
  }
}

/**
 * One page of the projects a user may see, by name.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {{limit: number, offset: number}} query
 */
function listProjects(db, user, query) {
  return paginate(
    db,
    visible(db, user),
    query,
    (q) => q.orderBy([{ column: 'name' }, { column: 'id' }]),
    toPublic,
  );
}

/**
 * A project a user may see (owner or admin), or NotFound.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {import('./users').UserRow} user
 * @param {number} projectId
 */
async function getProject(db, user, projectId) {
  const project =
    parseId(String(projectId)) === null
      ? undefined
      : await visible(db, user).where('projects.id', projectId).first();
  if (!project) throw new NotFound('Project not found');
  return project;
}

/**
 * Create a project owned by the user.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {{name: string, description?: string | null}} data
 */
async function createProject(db, user, data) {
  await checkNameIsFree(db, user.id, data.name);
  const time = now();
  const id = await guarded(() =>
    insert(db, 'projects', {
      owner_id: user.id,
      name: data.name,
      description: data.description ?? null,
      created_at: time,
      updated_at: time,
    }),
  );
  return toPublic(await getProject(db, user, id));
}

/**
 * Change the name or description of a project.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {number} projectId
 * @param {{name?: string, description?: string | null}} changes
 */
async function updateProject(db, user, projectId, changes) {
  const project = await getProject(db, user, projectId);
  if (changes.name !== undefined) {
    await checkNameIsFree(db, project.owner_id, changes.name, project.id);
  }
  if (Object.keys(changes).length) {
    await guarded(() =>
      db('projects')
        .where({ id: project.id })
        .update({ ...changes, updated_at: now() }),
    );
  }
  return toPublic(await getProject(db, user, project.id));
}

/**
 * Delete a project; its tasks stay, in no project.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {number} projectId
 */
async function deleteProject(db, user, projectId) {
  const project = await getProject(db, user, projectId);
  await transaction(db, async (trx) => {
    // Done here as well as by the foreign key (ON DELETE SET NULL), so that the
    // tasks' updated_at moves too.
    await trx('tasks')
      .where({ project_id: project.id })
      .update({ project_id: null, updated_at: now() });
    await trx('projects').where({ id: project.id }).delete();
  });
}

module.exports = {
  toPublic,
  listProjects,
  getProject,
  createProject,
  updateProject,
  deleteProject,
};
