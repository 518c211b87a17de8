'use strict';
/**
 * The application: builds and returns the Express app; src/server.js makes it listen.
 * @module app
 */
const express = require('express');
const helmet = require('helmet').default;
const { rateLimit } = require('express-rate-limit');

const { createLogger } = require('./core/logs');
const { answerOptions, errorHandler, notFound } = require('./http/errors');
const { buildDocument } = require('./http/openapi');
const { HELMET_OPTIONS, operations } = require('./http/operations');
const { Registry } = require('./http/registry');
const about = require('./about');
const features = require('./features');
const routes = require('./routes');

/**
 * Build the app for a database and settings (tests pass their own, and may collect the
 * log lines in a destination of theirs).
 * @param {{db: import('knex').Knex, settings: import('./core/config').Settings,
 *   logDestination?: import('./core/logs').Destination}} deps
 * @returns {import('express').Express}
 */
function buildApp({ db, settings, logDestination }) {
  const logger = createLogger(settings, logDestination);
  const registry = new Registry();
  for (const register of routes) register(registry);
  const document = buildDocument(registry, about);

  const app = express();
  app.disable('x-powered-by');
  app.set('strict routing', true);
  app.set('case sensitive routing', true);
  app.set('query parser', 'simple');
  app.use(operations(settings.corsOrigins, logger));
  app.use(helmet(HELMET_OPTIONS));
  features.mount(app, { settings, logger });
  // The raw body stays at hand (req.rawBody) for checks JSON.parse cannot make: an
  // integer field written as 10.0, a signature over the exact bytes.
  app.use(
    express.json({
      limit: '1mb',
      verify: (req, _res, buf) => {
        /** @type {any} */ (req).rawBody = buf;
      },
    }),
  );
  // Per worker process, on /auth; the feature ratelimit counts in Redis instead.
  if (settings.rateLimitPerMinute > 0 && !features.limitsRequests) {
    app.use(
      '/auth',
      rateLimit({
        windowMs: 60_000,
        limit: settings.rateLimitPerMinute,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        handler: (_req, res) => {
          res.status(429).json({ detail: 'Too many requests' });
        },
      }),
    );
  }
  app.get('/openapi.json', (_req, res) => {
    res.locals.route = '/openapi.json';
    res.json(document);
  });
  app.use(answerOptions(registry));
  app.use(registry.router({ db, settings, wrap: features.wrap }));
  app.use(notFound(registry));
  app.use(errorHandler(logger));
  return app;
}

module.exports = { buildApp };
