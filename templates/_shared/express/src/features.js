'use strict';
/**
 * Where optional features join the service: a feature's express+<feature> layer replaces
 * this file (same path) with its own hooks. Without one, both do nothing.
 * @module features
 */

/**
 * Called by app.js after the request id and security headers, before the body parser
 * and the routes: mount the feature's middleware and endpoints.
 * @param {import('express').Express} _app
 * @param {{settings: import('./core/config').Settings, logger: import('./core/logs').Logger}} _deps
 */
function mount(_app, _deps) {}

/** Called by server.js in the primary process of node:cluster, before it starts workers. */
function primary() {}

/** Whether a feature limits requests itself (then app.js' in-memory limit is off). */
const limitsRequests = false;

module.exports = { limitsRequests, mount, primary };
