'use strict';
/**
 * Feature "cache": the answers of the reads of http/cache-rules.js kept in Redis, and
 * the writes that invalidate them (src/features.js calls these hooks).
 * @module features/cache
 */
const { ResponseCache, cached, invalidating } = require('../http/cache');
const rules = require('../http/cache-rules');

/**
 * The app's cache (app.locals.responseCache closes its connection).
 * @param {import('express').Express} app
 * @param {import('../features').Deps} deps
 */
function mount(app, { settings, logger }) {
  app.locals.responseCache = new ResponseCache(settings.features.cache, logger);
}

/**
 * A cached read, or a write that invalidates, in place of the route's handler.
 * @param {import('../http/registry').RouteSpec} spec
 * @param {import('../http/registry').Handler} handler
 * @returns {import('../http/registry').Handler}
 */
function wrap(spec, handler) {
  if (spec.method === 'GET') {
    const namespaces = rules.reads[spec.path];
    return namespaces ? cached(namespaces, handler) : handler;
  }
  const namespaces = rules.changedBy(spec.path);
  return namespaces.length ? invalidating(namespaces, handler) : handler;
}

/**
 * Close the cache's connection to Redis.
 * @param {import('express').Express} app
 */
function close(app) {
  app.locals.responseCache?.close();
}

module.exports = { close, mount, wrap };
