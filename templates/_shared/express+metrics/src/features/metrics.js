'use strict';
/**
 * Feature "metrics": GET /metrics, the count of every other request, and the sum over
 * the workers (src/features.js calls these hooks).
 * @module features/metrics
 */
const metrics = require('../http/metrics');

/**
 * GET /metrics, then the middleware that counts every other request.
 * @param {import('express').Express} app
 * @param {import('../features').Deps} deps
 */
function mount(app, { settings }) {
  app.get('/metrics', metrics.endpoint(settings.features.metricsToken));
  app.use(metrics.count());
}

/** In the primary process: it sums the workers' metrics. */
function primary() {
  metrics.aggregateWorkers();
}

module.exports = { mount, primary };
