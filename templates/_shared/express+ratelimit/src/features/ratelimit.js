'use strict';
/**
 * Feature "ratelimit": the limits in Redis (src/features.js calls these hooks).
 * @module features/ratelimit
 */
const ratelimit = require('../http/ratelimit');

/** The Redis limits replace app.js' in-memory limit of RATE_LIMIT_PER_MINUTE. */
const limitsRequests = true;

/**
 * The limits, after the features mounted before (app.locals.rateLimiter closes their
 * connection).
 * @param {import('express').Express} app
 * @param {import('../features').Deps} deps
 */
function mount(app, { settings, logger }) {
  const limiter = ratelimit.fromSettings(settings, logger);
  app.locals.rateLimiter = limiter;
  if (limiter.enabled) app.use(ratelimit.limit(limiter, settings));
}

/**
 * Close the limiter's connection to Redis.
 * @param {import('express').Express} app
 */
function close(app) {
  app.locals.rateLimiter?.close();
}

module.exports = { close, limitsRequests, mount };
