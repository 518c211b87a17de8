'use strict';
/**
 * Where the features join the service: the rate limits{{ ", the metrics" if "metrics" in features else "" }}
 * (the express layer's file does nothing).
 * @module features
 */
{% if "metrics" in features %}
const metrics = require('./http/metrics');
{% endif %}
const ratelimit = require('./http/ratelimit');

/** The Redis limits replace app.js' in-memory limit of RATE_LIMIT_PER_MINUTE. */
const limitsRequests = true;

/**
 * Called by app.js after the request id and security headers: the features' endpoints
 * and middleware, the rate limits last (app.locals.rateLimiter closes their connection).
 * @param {import('express').Express} app
 * @param {{ "{{" }}settings: import('./core/config').Settings, logger: import('./core/logs').Logger}} deps
 */
function mount(app, { settings, logger }) {
{% if "metrics" in features %}
  app.get('/metrics', metrics.endpoint(settings.features.metricsToken));
  app.use(metrics.count());
{% endif %}
  const limiter = ratelimit.fromSettings(settings, logger);
  app.locals.rateLimiter = limiter;
  if (limiter.enabled) app.use(ratelimit.limit(limiter, settings));
}

/** Called by server.js in the primary process{{ ": it sums the workers' metrics" if "metrics" in features else "" }}. */
{% if "metrics" in features %}
function primary() {
  metrics.aggregateWorkers();
}
{% else %}
function primary() {}
{% endif %}

module.exports = { limitsRequests, mount, primary };
