'use strict';
/**
 * Liveness: the process answers and the database takes a query.
 * @module routes/health
 */
const { z } = require('zod');

/** ok twice, or (503) unavailable and error. */
const health = z.object({ status: z.string(), database: z.string() });

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/health',
      summary: 'Liveness and database check',
      auth: 'public',
      response: health,
      errors: { 503: { description: 'The database does not answer', body: health } },
    },
    async ({ db, res }) => {
      try {
        await db.raw('SELECT 1');
      } catch {
        res.status(503).json({ status: 'unavailable', database: 'error' });
        return undefined;
      }
      return { status: 'ok', database: 'ok' };
    },
  );
};
