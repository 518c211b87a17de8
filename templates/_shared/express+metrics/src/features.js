'use strict';
/**
 * Where the metrics feature joins the service (the express layer's file does nothing).
 * @module features
 */
const metrics = require('./http/metrics');

/**
 * Called by app.js after the request id and security headers: GET /metrics, then the
 * middleware that counts every other request.
 * @param {import('express').Express} app
 * @param {{settings: import('./core/config').Settings, logger: import('./core/logs').Logger}} deps
 */
function mount(app, { settings }) {
  app.get('/metrics', metrics.endpoint(settings.features.metricsToken));
  app.use(metrics.count());
}

/** Called by server.js in the primary process: it sums the workers' metrics. */
function primary() {
  metrics.aggregateWorkers();
}

/** Metrics limit nothing: app.js keeps its in-memory limit. */
const limitsRequests = false;

module.exports = { limitsRequests, mount, primary };
