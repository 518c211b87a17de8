'use strict';
/**
 * Projects: named groups of one user's tasks.
 * @module routes/projects
 */
const { z } = require('zod');

const {
  projectCreate,
  projectPublic,
  projectQuery,
  projectUpdate,
} = require('../schemas/projects');
const projects = require('../services/projects');

const projectPage = z.object({
  items: z.array(projectPublic),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
const NOT_FOUND = { 404: 'Project not found' };

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/projects',
      summary: 'List your projects (all projects for an admin) with their task counts',
      auth: 'user',
      query: projectQuery,
      response: projectPage,
    },
    ({ db, user, query }) => projects.listProjects(db, user, query),
  );
  api.route(
    {
      method: 'POST',
      path: '/projects',
      summary: 'Create a project',
      auth: 'user',
      body: projectCreate,
      response: projectPublic,
      status: 201,
      errors: { 409: 'You already have a project with this name' },
    },
    ({ db, user, body }) => projects.createProject(db, user, body),
  );
  api.route(
    {
      method: 'GET',
      path: '/projects/{project_id}',
      summary: 'Read a project',
      auth: 'user',
      response: projectPublic,
      errors: NOT_FOUND,
    },
    async ({ db, user, params }) =>
      projects.toPublic(await projects.getProject(db, user, params.project_id)),
  );
  api.route(
    {
      method: 'PATCH',
      path: '/projects/{project_id}',
      summary: 'Rename a project or change its description',
      auth: 'user',
      body: projectUpdate,
      response: projectPublic,
      errors: { ...NOT_FOUND, 409: 'You already have a project with this name' },
    },
    ({ db, user, params, body }) => projects.updateProject(db, user, params.project_id, body),
  );
  api.route(
    {
      method: 'DELETE',
      path: '/projects/{project_id}',
      summary: 'Delete a project; its tasks stay, in no project',
      auth: 'user',
      status: 204,
      errors: NOT_FOUND,
    },
    ({ db, user, params }) => projects.deleteProject(db, user, params.project_id),
  );
};
