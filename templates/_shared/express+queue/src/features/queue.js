'use strict';
/**
 * Feature "queue": the jobs a write asks for (core/queue.js' afterCommit) are added to
 * the queue once its route's handler is done, after its transaction committed; when
 * Redis does not take them the request succeeds all the same and the worker's sweeper
 * finds the work in the database (src/features.js calls these hooks).
 * @module features/queue
 */
const { Enqueuer, withJobs } = require('../core/queue');

/**
 * The app's enqueuer (app.locals.enqueuer closes its connection).
 * @param {import('express').Express} app
 * @param {import('../features').Deps} deps
 */
function mount(app, { settings, logger }) {
  app.locals.enqueuer = new Enqueuer(settings.features.queue, logger);
}

/**
 * A write, in place of the route's handler: the handler, then the jobs it asked for.
 * @param {import('../http/registry').RouteSpec} spec
 * @param {import('../http/registry').Handler} handler
 * @returns {import('../http/registry').Handler}
 */
function wrap(spec, handler) {
  if (spec.method === 'GET') return handler;
  return (context) => withJobs(context.req.app.locals.enqueuer, async () => handler(context));
}

/**
 * Close the enqueuer's connection to Redis.
 * @param {import('express').Express} app
 */
function close(app) {
  app.locals.enqueuer?.close();
}

module.exports = { close, mount, wrap };
