'use strict';
/**
 * What the cache keeps (http/cache.js): each user's list of projects, and the writes
 * that change it.
 * @module http/cache-rules
 */

/**
 * A user sees their own projects (an admin all): kept per caller.
 * @type {Record<string, import('./cache').ReadRule>}
 */
const reads = {
  'GET /projects': { namespace: 'projects', scope: 'viewer' },
};

/**
 * The writes, and the namespaces each changes: the projects' own, and the tasks', which
 * the list counts (task_count).
 * @type {Record<string, readonly string[]>}
 */
const writes = {
  'POST /projects': ['projects'],
  'PATCH /projects/{project_id}': ['projects'],
  'DELETE /projects/{project_id}': ['projects'],
  'POST /tasks': ['projects'],
  'PATCH /tasks/{task_id}': ['projects'],
  'DELETE /tasks/{task_id}': ['projects'],
};

module.exports = { reads, writes };
